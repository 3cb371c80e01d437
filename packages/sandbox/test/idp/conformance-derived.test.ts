// Responses derived from Keycloak 26.7.1's source (test/fixtures/keycloak-reference-derived/, each
// file naming its source on a `# derived-from:` line; see the README there), replayed against the
// sandbox IdP like the recordings, with their own fidelity figure: they are not recordings, and are
// not counted in the recorded figures. The recordings' realm "master" is our "sandbox".
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { compareResponse, loadRecording, type ActualResponse, type CompareOptions } from '../conformance/recording.ts';
import { FidelityLog } from '../conformance/fidelity.ts';
import { tokenFromEndpoint } from '../support/tokens.ts';
import { createUserWithPassword } from '../support/users.ts';
import { CookieBrowser, formAction } from '../../../../test/support/cookie-browser.ts';

const DERIVED_DIR = fileURLToPath(new URL('../fixtures/keycloak-reference-derived/', import.meta.url));
const PASSWORD = 'Derived-Probe-2026!';
const ADMIN_BASIC = `Basic ${Buffer.from('platform-admin:sandbox-admin-secret').toString('base64')}`;
const HEADERS = ['Location', 'Content-Type', 'Cache-Control', 'Pragma'];
let idp: RunningIdp;

const oidc = (path: string) => `${idp.url}/realms/sandbox/protocol/openid-connect/${path}`;
const form = (body: Record<string, string>, authorization?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
  body: new URLSearchParams(body),
});

async function asActual(res: Response): Promise<ActualResponse> {
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** A sandbox user with only these realm-management roles, and an admin-cli access token for it. */
async function callerWith(roles: string[]): Promise<string> {
  const username = `derived-caller-${randomUUID().slice(0, 8)}`;
  await createUserWithPassword(idp, PASSWORD, { username, clientRoles: { 'realm-management': roles } });
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username, password: PASSWORD });
  if (!t) throw new Error(`no token for ${username}`);
  return t;
}

async function admin(path: string, token: string): Promise<ActualResponse> {
  return asActual(await fetch(`${idp.url}/admin/realms/sandbox/${path}`, { headers: { authorization: `Bearer ${token}` } }));
}

/** A user with one realm role mapping and one client role mapping, and that client's uuid. */
async function mappedUser(): Promise<{ user: string; client: string }> {
  const rt = idp.ctx.realms.get('sandbox')!;
  const client = rt.realm.clients.find((c) => c.clientId === 'realm-management')!;
  const { id } = await createUserWithPassword(idp, PASSWORD, { username: `derived-target-${randomUUID().slice(0, 8)}`, clientRoles: { 'realm-management': ['view-events'] } });
  return { user: id, client: client.id };
}

interface Scenario {
  file: string;
  run(): Promise<ActualResponse>;
  options?: CompareOptions;
  known?: string;
}

const SCENARIOS: Scenario[] = [
  {
    file: 'oidc/authorization/form-post.http',
    run: async () => {
      const { username } = await createUserWithPassword(idp, PASSWORD, { username: `derived-formpost-${randomUUID().slice(0, 8)}` });
      const challenge = createHash('sha256').update('derived-probe-verifier-0123456789-0123456789-abc').digest('base64url');
      const auth = `${oidc('auth')}?${new URLSearchParams({ client_id: 'onramp-console', redirect_uri: 'http://localhost:8081/callback', response_type: 'code', scope: 'openid', response_mode: 'form_post', code_challenge: challenge, code_challenge_method: 'S256' })}`;
      const browser = new CookieBrowser();
      const action = formAction(await (await browser.request(auth)).text(), 'kc-form-login');
      return asActual((await browser.follow(action, { form: { username, password: PASSWORD, credentialId: '' } })).res);
    },
    options: { htmlTexts: ['<TITLE>OIDC Form_Post Response</TITLE>', '<BODY Onload="document.forms[0].submit()">'] },
  },
  { file: 'oidc/certs/unknown-realm.http', run: async () => asActual(await fetch(`${idp.url}/realms/nosuchrealm/protocol/openid-connect/certs`)) },
  {
    file: 'oidc/userinfo/ok.http',
    run: async () => {
      const { username } = await createUserWithPassword(idp, PASSWORD, { username: `derived-userinfo-${randomUUID().slice(0, 8)}` });
      const token = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username, password: PASSWORD, scope: 'openid' });
      return asActual(await fetch(oidc('userinfo'), { headers: { authorization: `Bearer ${token}` } }));
    },
  },
  { file: 'oidc/introspection/missing-token.http', run: async () => asActual(await fetch(oidc('token/introspect'), form({}, ADMIN_BASIC))) },
  {
    file: 'oidc/introspection/wrong-client-secret.http',
    run: async () => asActual(await fetch(oidc('token/introspect'), form({ token: 'x' }, `Basic ${Buffer.from('platform-admin:wrong').toString('base64')}`))),
  },
  { file: 'oidc/introspection/public-client.http', run: async () => asActual(await fetch(oidc('token/introspect'), form({ client_id: 'admin-cli', token: 'x' }))) },
  { file: 'oidc/revocation/missing-token.http', run: async () => asActual(await fetch(oidc('revoke'), form({}, ADMIN_BASIC))) },
  { file: 'oidc/logout/logged-out-page.http', run: async () => asActual(await fetch(oidc('logout'))), options: { htmlTexts: ['You are logged out'] } },
  { file: 'admin/users/list-to-a-query-users-caller.http', run: async () => admin('users/', await callerWith(['query-users'])) },
  { file: 'admin/users/count-to-a-query-users-caller.http', run: async () => admin('users/count', await callerWith(['query-users'])) },
  {
    file: 'admin/role-mapper/all-to-a-view-users-caller.http',
    run: async () => admin(`users/${(await mappedUser()).user}/role-mappings`, await callerWith(['view-users'])),
  },
  {
    file: 'admin/role-mapper/composite-realm-to-a-view-users-caller.http',
    run: async () => admin(`users/${(await mappedUser()).user}/role-mappings/realm/composite`, await callerWith(['view-users'])),
  },
  {
    file: 'admin/role-mapper/available-realm-to-a-view-users-caller.http',
    run: async () => admin(`users/${(await mappedUser()).user}/role-mappings/realm/available`, await callerWith(['view-users'])),
  },
  {
    file: 'admin/client-role-mappings/available-to-a-view-users-caller.http',
    run: async () => {
      const { user, client } = await mappedUser();
      return admin(`users/${user}/role-mappings/clients/${client}/available`, await callerWith(['view-users']));
    },
  },
  {
    file: 'admin/client-role-mappings/available-realm-management-to-a-manage-users-caller.http',
    run: async () => {
      const { user, client } = await mappedUser();
      return admin(`users/${user}/role-mappings/clients/${client}/available`, await callerWith(['manage-users']));
    },
  },
];

const fidelity = new FidelityLog('derived fixtures (from Keycloak source, not recorded)', {});
afterAll(() => console.log(fidelity.summary()));

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
});

afterAll(async () => {
  await idp?.close();
});

describe('sandbox IdP conforms to the responses derived from Keycloak 26 source', () => {
  it.each(SCENARIOS)('$file', async ({ file, run, options, known }) => {
    const rec = await loadRecording(join(DERIVED_DIR, file));
    expect(rec.derivedFrom, `${file} names its source`).toMatch(/^(https:\/\/|services\/|docs\/)/);
    const response = await run();
    const problems = compareResponse(rec, response, { issuer: idp.url, headers: HEADERS, substitutions: { master: 'sandbox' }, ...options });
    fidelity.record({ file, problems, known });
    if (known) expect(problems, `${file} is listed as a known difference (${known}) but now matches`).not.toEqual([]);
    else expect(problems, `${rec.method} ${rec.path}\n${response.body}`).toEqual([]);
  });

  it('replays every derived fixture, and each one says it is derived', async () => {
    const files = (await readdir(DERIVED_DIR, { recursive: true })).filter((f) => f.endsWith('.http')).sort();
    expect(files).toEqual(SCENARIOS.map((s) => s.file).sort());
    for (const f of files) expect((await loadRecording(join(DERIVED_DIR, f))).derivedFrom).toBeTruthy();
  });
});
