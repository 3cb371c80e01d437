// Every admin route of the sandbox (the router's own table, so a new route is fuzzed without being
// listed here) sent null, empty, malformed, wrongly typed and unknown-field bodies. None may answer
// 500, but the one Keycloak 26.7.1 is recorded answering 500 (POST users with a `null` body,
// keycloak-reference/admin/users/create-null-body.http). A body that does not bind answers 400 with
// Keycloak's error JSON, bare `application/json` and no Cache-Control, as Keycloak's errors go out.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { ADMIN_ROUTES } from '../../src/idp/admin/router.ts';
import { tokenFromEndpoint } from '../support/tokens.ts';

let idp: RunningIdp;
let token: string;
const params: Record<string, string> = {};

const BODIES: [string, string][] = [
  ['null', 'null'],
  ['empty', ''],
  ['malformed', '{"name": '],
  ['array of scalars', '[1, 2]'],
  ['number', '42'],
  ['string', '"text"'],
  ['true', 'true'],
  ['object', '{}'],
  ['wrong types', '{"name": {"a": 1}, "enabled": "maybe", "clientId": [], "id": {}, "attributes": 7, "redirectUris": {"x": 1}}'],
  ['unknown field', '{"noSuchField": 1}'],
  ['list of nulls', '[null]'],
  ['list of wrong types', '[{"id": {}, "name": []}]'],
  ['nested nulls', '{"attributes": {"a": null}, "credentials": [null], "composites": null}'],
];

/** The one 500 Keycloak is recorded answering. */
const RECORDED_500 = new Set(['POST users null']);

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' });
  token = t!;
  const get = async (path: string) => (await fetch(`${idp.url}/admin/realms/sandbox/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const users = (await get('users?username=sysadmin&exact=true')) as { id: string }[];
  const clients = (await get('clients?clientId=onramp-console')) as { id: string }[];
  const realmMgmt = (await get('clients?clientId=realm-management')) as { id: string }[];
  const role = (await get('roles/default-roles-sandbox')) as { id: string };
  Object.assign(params, { id: users[0]!.id, client: clients[0]!.id, other: realmMgmt[0]!.id, name: 'default-roles-sandbox' });
  params.roleId = role.id;
});
afterAll(() => idp?.close());

function pathOf(route: string): string {
  return route
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg;
      const key = seg.slice(1);
      // roles-by-id/:id names a role; elsewhere :id is the user.
      if (key === 'id' && route.startsWith('roles-by-id')) return params.roleId!;
      if (key === 'name' && route.startsWith('clients/')) return 'no-such-role';
      return params[key]!;
    })
    .join('/');
}

describe('admin API bodies', () => {
  const withBody = ADMIN_ROUTES.filter((r) => r.body);

  it('declares a body representation on every route that writes', () => {
    const writes = ADMIN_ROUTES.filter((r) => r.method === 'POST' || r.method === 'PUT');
    // POST users/{id}/logout takes no entity.
    expect(writes.filter((r) => !r.body).map((r) => `${r.method} ${r.path}`)).toEqual(['POST users/:id/logout']);
  });

  it.each(withBody.flatMap((r) => BODIES.map(([label, body]) => ({ label, body, method: r.method, path: r.path }))))('$method $path: $label body', async ({ label, body, method, path }) => {
    const res = await fetch(`${idp.url}/admin/realms/sandbox/${pathOf(path)}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    if (RECORDED_500.has(`${method} ${path} ${label}`)) {
      expect(res.status).toBe(500);
      return;
    }
    expect(res.status, `${method} ${path} ${label}: ${text}`).not.toBe(500);
    expect(res.status, text).toBeLessThan(500);
    if (res.status >= 400) {
      // Keycloak's error answers: bare application/json, JSON body, no Cache-Control.
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('cache-control')).toBeNull();
      const json = JSON.parse(text) as Record<string, unknown>;
      expect(typeof (json.error ?? json.errorMessage)).toBe('string');
    }
    if (label === 'malformed' || label === 'empty') expect(JSON.parse(text)).toEqual({ error: 'invalid_request', error_description: 'Cannot parse the JSON' });
    if (['number', 'string', 'true', 'wrong types', 'list of wrong types'].includes(label)) {
      expect([400, 404]).toContain(res.status);
      if (res.status === 400) expect(JSON.parse(text)).toMatchObject({ error: expect.any(String) });
    }
  });

  it('answers an unauthenticated call with 401 and Keycloak\'s error headers on every route', async () => {
    for (const r of ADMIN_ROUTES) {
      const res = await fetch(`${idp.url}/admin/realms/sandbox/${pathOf(r.path)}`, { method: r.method, headers: { 'content-type': 'application/json' }, body: r.method === 'GET' ? undefined : '{}' });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('cache-control')).toBeNull();
      expect(await res.json()).toEqual({ error: 'HTTP 401 Unauthorized' });
    }
  });

  it('answers successful reads with application/json;charset=UTF-8 and Cache-Control: no-cache on every GET route', async () => {
    for (const r of ADMIN_ROUTES.filter((x) => x.method === 'GET')) {
      const res = await fetch(`${idp.url}/admin/realms/sandbox/${pathOf(r.path)}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) continue;
      expect(res.headers.get('content-type'), `${r.path}`).toBe('application/json;charset=UTF-8');
      expect(res.headers.get('cache-control'), `${r.path}`).toBe('no-cache');
    }
  });
});
