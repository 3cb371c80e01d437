// Who may call the admin API: Keycloak's 401 for any token it cannot trust, 403 for a trusted
// token whose user lacks the realm-management role the call needs, and the order of those checks
// against the realm lookup.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import type { StoredUser } from '../../src/idp/store/types.ts';
import { mintAccessToken, userByName, type MintOptions } from '../support/tokens.ts';
import { testUser } from '../support/users.ts';

let idp: RunningIdp;
let sysadmin: StoredUser;

async function get(path: string, auth?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${idp.url}${path}`, { headers: auth === undefined ? {} : { authorization: auth } });
  return { status: res.status, body: await res.json() };
}

/** A stored user holding exactly these realm-management roles. */
async function userWith(roles: string[]): Promise<StoredUser> {
  const user = testUser({ username: `roles-${randomUUID().slice(0, 8)}`, clientRoles: roles.length ? { 'realm-management': roles } : {} });
  await idp.ctx.store.createUser(user);
  return user;
}

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
  sysadmin = await userByName(idp, 'sysadmin');
});

afterAll(async () => {
  await idp?.close();
});

const UNAUTHORIZED = { status: 401, body: { error: 'HTTP 401 Unauthorized' } };
const FORBIDDEN = { status: 403, body: { error: 'HTTP 403 Forbidden' } };

describe('tokens the admin API refuses with 401', () => {
  const cases: { name: string; auth: () => Promise<string | undefined> }[] = [
    { name: 'no Authorization header', auth: async () => undefined },
    { name: 'not a Bearer scheme', auth: async () => `Basic ${Buffer.from('sysadmin:x').toString('base64')}` },
    { name: 'garbage', auth: async () => 'Bearer garbage' },
    { name: 'expired', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { expiresIn: -10 })}` },
    { name: 'signed by another key', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { foreignKey: true })}` },
    { name: 'issued by another server', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { issuer: 'http://elsewhere:8080/realms/sandbox' })}` },
    { name: 'issued by an unknown realm', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { issuer: `${idp.url}/realms/other` })}` },
    { name: 'not an access token (typ ID)', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { typ: 'ID' })}` },
    { name: 'from a login session that has ended', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { sid: randomUUID() })}` },
    { name: 'for a user that does not exist', auth: async () => `Bearer ${await mintAccessToken(idp, sysadmin, { claims: { sub: randomUUID() } } satisfies MintOptions)}` },
  ];
  it.each(cases)('$name', async ({ auth }) => {
    expect(await get('/admin/realms/sandbox/users', await auth())).toEqual(UNAUTHORIZED);
  });

  it('a disabled user\'s token', async () => {
    const user = await userWith(['realm-admin']);
    const token = await mintAccessToken(idp, user);
    await idp.ctx.store.updateUser({ ...user, enabled: false });
    expect(await get('/admin/realms/sandbox/users', `Bearer ${token}`)).toEqual(UNAUTHORIZED);
  });

  it('401 comes before the realm lookup', async () => {
    expect(await get('/admin/realms/nosuchrealm/users', 'Bearer garbage')).toEqual(UNAUTHORIZED);
    expect(await get('/admin/realms/nosuchrealm/users', `Bearer ${await mintAccessToken(idp, sysadmin)}`)).toEqual({ status: 404, body: { error: 'Realm not found.' } });
  });
});

describe('permissions by realm-management role', () => {
  // [call, roles that allow it]; every other role set gets 403.
  const ROLE_SETS = [[], ['query-users'], ['view-users'], ['manage-users'], ['view-realm'], ['query-clients'], ['realm-admin']];
  const calls: { call: string; path: (sysadminId: string) => string; allowed: string[] }[] = [
    { call: 'list users', path: () => '/admin/realms/sandbox/users', allowed: ['query-users', 'view-users', 'manage-users', 'realm-admin'] },
    { call: 'count users', path: () => '/admin/realms/sandbox/users/count', allowed: ['query-users', 'view-users', 'manage-users', 'realm-admin'] },
    { call: 'read a user', path: (id) => `/admin/realms/sandbox/users/${id}`, allowed: ['view-users', 'manage-users', 'realm-admin'] },
    { call: 'read role mappings', path: (id) => `/admin/realms/sandbox/users/${id}/role-mappings/realm`, allowed: ['view-users', 'manage-users', 'realm-admin'] },
    { call: 'list realm roles', path: () => '/admin/realms/sandbox/roles', allowed: ['query-users', 'view-users', 'view-realm', 'query-clients', 'realm-admin'] },
    { call: 'list clients', path: () => '/admin/realms/sandbox/clients', allowed: ['query-clients', 'realm-admin'] },
    { call: 'read the realm', path: () => '/admin/realms/sandbox', allowed: ['query-users', 'view-users', 'manage-users', 'view-realm', 'query-clients', 'realm-admin'] },
  ];
  const table = calls.flatMap((c) => ROLE_SETS.map((roles) => ({ ...c, roles, ok: roles.some((r) => c.allowed.includes(r)) })));

  it.each(table)('$call with [$roles]: allowed=$ok', async ({ path, roles, ok }) => {
    const token = await mintAccessToken(idp, await userWith(roles));
    const res = await get(path(sysadmin.id), `Bearer ${token}`);
    if (ok) expect(res.status).toBe(200);
    else expect(res).toEqual(FORBIDDEN);
  });

  it('decides by the user\'s current roles, not the token\'s claims (as Keycloak\'s AdminAuth)', async () => {
    const user = await userWith(['view-users']);
    const token = await mintAccessToken(idp, user, { claims: { resource_access: { 'realm-management': { roles: ['manage-users'] } } } });
    const res = await fetch(`${idp.url}/admin/realms/sandbox/users/${sysadmin.id}/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });

  it('the realm read without view-realm is the name only', async () => {
    const token = await mintAccessToken(idp, await userWith(['query-users']));
    expect(await get('/admin/realms/sandbox', `Bearer ${token}`)).toEqual({ status: 200, body: { realm: 'sandbox' } });
    expect(await get('/admin/realms', `Bearer ${token}`)).toEqual({ status: 200, body: [{ realm: 'sandbox' }] });
  });

  it('an unknown user id is 404 for callers who may query users, 403 for others', async () => {
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(await get(`/admin/realms/sandbox/users/${nil}`, `Bearer ${await mintAccessToken(idp, await userWith(['query-users']))}`)).toEqual({ status: 404, body: { error: 'User not found' } });
    expect(await get(`/admin/realms/sandbox/users/${nil}`, `Bearer ${await mintAccessToken(idp, await userWith(['view-realm']))}`)).toEqual(FORBIDDEN);
  });
});

describe('a client with "Full scope allowed" off', () => {
  let narrow: RunningIdp;
  let dir: string;

  beforeAll(async () => {
    const realm = JSON.parse(await readFile(DEFAULT_REALM_FILE, 'utf8'));
    realm.clients.push({ clientId: 'narrow-admin', publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true, fullScopeAllowed: false });
    realm.clientScopeMappings = { 'realm-management': [{ client: 'narrow-admin', roles: ['query-users'] }] };
    dir = await mkdtemp(join(tmpdir(), 'onramp-narrow-'));
    await writeFile(join(dir, 'realm.json'), JSON.stringify(realm));
    narrow = await startIdp({ realmFile: join(dir, 'realm.json') });
  });
  afterAll(async () => {
    await narrow?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('administers only as far as its scope mappings reach, whatever roles its user holds', async () => {
    const admin = await userByName(narrow, 'sysadmin');
    const token = `Bearer ${await mintAccessToken(narrow, admin, { clientId: 'narrow-admin' })}`;
    const at = async (path: string) => (await fetch(`${narrow.url}/admin/realms/sandbox${path}`, { headers: { authorization: token } })).status;
    expect(await at('/users?username=sysadmin&exact=true')).toBe(200);
    expect(await at(`/users/${admin.id}`)).toBe(403);
    expect(await at('/clients')).toBe(403);
  });
});
