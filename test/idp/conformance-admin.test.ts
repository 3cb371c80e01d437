// Every recorded Keycloak 26 admin API response (keycloak-reference/admin/) replayed against the
// sandbox IdP. The recordings keep neither query nor body, so each scenario rebuilds the request
// its name describes. Recorded realm "master" (and "gloak-probe-sess") is our "sandbox"; recorded
// users and roles are stood in for by ones created here, named through substitutions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/sandbox/idp/start.ts';
import { compareResponse, loadRecording, type ActualResponse, type CompareOptions } from '../conformance/recording.ts';
import { tokenFromEndpoint } from '../support/tokens.ts';
import { requireReference } from '../support/reference.ts';

const ADMIN_DIR = join(requireReference(), 'admin');
const NIL = '00000000-0000-0000-0000-000000000000';

let idp: RunningIdp;
let dir: string;
let token: string;

/** The sandbox realm plus the probe role and clients the role-mapper recordings name. */
async function probeRealmFile(): Promise<string> {
  const realm = JSON.parse(await readFile('deploy/keycloak/realm-sandbox.json', 'utf8'));
  realm.roles.realm.push({ name: 'gloak-probe-mapping-realm', composite: false });
  for (const side of ['app', 'side']) {
    realm.clients.push({ clientId: `gloak-probe-mapping-${side}`, publicClient: true, standardFlowEnabled: false, redirectUris: [] });
    realm.roles.client[`gloak-probe-mapping-${side}`] = [{ name: `gloak-probe-mapping-${side}-role`, composite: false }];
  }
  dir = await mkdtemp(join(tmpdir(), 'onramp-conformance-'));
  const file = join(dir, 'realm.json');
  await writeFile(file, JSON.stringify(realm));
  return file;
}

/** A response, with the request that produced it, so a scenario can be held to its recording's request line. */
type Exchange = ActualResponse & { method: string; path: string };

async function call(method: string, path: string, o: { body?: unknown; raw?: string; auth?: string } = {}): Promise<Exchange> {
  const headers: Record<string, string> = { authorization: o.auth ?? `Bearer ${token}` };
  let body: string | undefined;
  if (o.raw !== undefined || o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = o.raw ?? JSON.stringify(o.body);
  }
  const res = await fetch(`${idp.url}${path}`, { method, headers, body });
  return { method, path, status: res.status, headers: res.headers, body: await res.text() };
}

const users = '/admin/realms/sandbox/users';

async function createUser(rep: Record<string, unknown>): Promise<string> {
  const res = await call('POST', users, { body: { enabled: true, ...rep } });
  if (res.status !== 201) throw new Error(`create ${JSON.stringify(rep)}: ${res.status} ${res.body}`);
  return (res.headers as Headers).get('location')!.split('/').pop()!;
}

async function roleRep(path: string): Promise<unknown> {
  return JSON.parse((await call('GET', path)).body);
}

/** A user with the recorded mappings: default role, the probe realm role, one role of each probe client. */
async function mappedUser(): Promise<string> {
  const id = await createUser({ username: `probe-mapping-${randomUUID().slice(0, 8)}` });
  await call('POST', `${users}/${id}/role-mappings/realm`, { body: [await roleRep('/admin/realms/sandbox/roles/gloak-probe-mapping-realm')] });
  for (const side of ['app', 'side']) {
    const [client] = JSON.parse((await call('GET', `/admin/realms/sandbox/clients?clientId=gloak-probe-mapping-${side}`)).body) as { id: string }[];
    const role = await roleRep(`/admin/realms/sandbox/clients/${client!.id}/roles/gloak-probe-mapping-${side}-role`);
    const res = await call('POST', `${users}/${id}/role-mappings/clients/${client!.id}`, { body: [role] });
    if (res.status !== 204) throw new Error(`client mapping: ${res.status} ${res.body}`);
  }
  return id;
}

interface Scenario {
  /** Path below admin/, e.g. users/create.http. */
  file: string;
  /** Performs the request the recording describes (after any setup) and says how to compare. */
  run(): Promise<{ response: Exchange; options?: CompareOptions }>;
}

const master = { master: 'sandbox' };

/** The recorded request line as a pattern: segments substituted, `{{placeholder}}` segments as any id. */
function requestLine(method: string, path: string, subs: Record<string, string>): RegExp {
  const source = path
    .split('/')
    // The fixed /admin/realms prefix is never substituted (a recorded user may be called "admin").
    .map((seg, i) => (/^\{\{[a-z_]+\}\}$/.test(seg) ? '[^/]+' : (i < 3 ? seg : (subs[seg] ?? seg)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${method} ${source}$`);
}

const SCENARIOS: Scenario[] = [
  { file: 'users/create.http', run: async () => ({ response: await call('POST', users, { body: { username: 'probe-create', enabled: true } }) }) },
  { file: 'users/create-duplicate.http', run: async () => ({ response: await call('POST', users, { body: { username: 'sysadmin' } }) }) },
  { file: 'users/create-without-username.http', run: async () => ({ response: await call('POST', users, { body: { enabled: true, email: 'nobody@example.com' } }) }) },
  { file: 'users/create-malformed.http', run: async () => ({ response: await call('POST', users, { raw: '{"username": ' }) }) },
  {
    file: 'users/read.http',
    run: async () => {
      // The recorded bootstrap admin: no names or email, one attribute.
      const id = await createUser({ username: 'probe-admin', attributes: { platform_role: ['true'] } });
      return { response: await call('GET', `${users}/${id}`), options: { substitutions: { admin: 'probe-admin', is_temporary_admin: 'platform_role' }, bindings: { user_id: id } } };
    },
  },
  { file: 'users/read-unknown.http', run: async () => ({ response: await call('GET', `${users}/${NIL}`) }) },
  { file: 'users/list-no-match.http', run: async () => ({ response: await call('GET', `${users}?search=no-such-user-anywhere`) }) },
  {
    file: 'users/list-by-search.http',
    run: async () => {
      await createUser({ username: 'probe-listed', attributes: { platform_role: ['true'] } });
      return { response: await call('GET', `${users}?search=probe-listed`), options: { substitutions: { admin: 'probe-listed', is_temporary_admin: 'platform_role' } } };
    },
  },
  { file: 'users/list-garbage-token.http', run: async () => ({ response: await call('GET', users, { auth: 'Bearer not-a-token' }) }) },
  {
    file: 'users/update.http',
    run: async () => {
      const id = await createUser({ username: 'probe-update' });
      return { response: await call('PUT', `${users}/${id}`, { body: { firstName: 'Grace' } }) };
    },
  },
  {
    file: 'users/update-merges.http',
    run: async () => {
      const id = await createUser({ username: 'probe-merged', firstName: 'Ada', lastName: 'Lovelace', email: 'probe-merged@example.com' });
      const put = await call('PUT', `${users}/${id}`, { body: { firstName: 'Grace' } });
      expect(put.status).toBe(204);
      return {
        response: await call('GET', `${users}/${id}`),
        options: { substitutions: { 'gloak-probe-merged-user': 'probe-merged', 'gloak-probe-merged-user@example.com': 'probe-merged@example.com' }, bindings: { user_id: id } },
      };
    },
  },
  {
    file: 'users/delete.http',
    run: async () => {
      const id = await createUser({ username: 'probe-delete' });
      return { response: await call('DELETE', `${users}/${id}`) };
    },
  },
  { file: 'users/delete-unknown.http', run: async () => ({ response: await call('DELETE', `${users}/${NIL}`) }) },
  {
    file: 'users/reset-password.http',
    run: async () => {
      const id = await createUser({ username: 'probe-reset' });
      return { response: await call('PUT', `${users}/${id}/reset-password`, { body: { type: 'password', value: 'Probe-Reset-2026!', temporary: false } }) };
    },
  },
  {
    file: 'users/reset-password-temporary.http',
    run: async () => {
      const id = await createUser({ username: 'probe-pw-temp', firstName: 'Ada', lastName: 'Lovelace', email: 'probe-pw-temp@example.com' });
      const put = await call('PUT', `${users}/${id}/reset-password`, { body: { type: 'password', value: 'Probe-Temp-2026!', temporary: true } });
      expect(put.status).toBe(204);
      return { response: await call('GET', `${users}/${id}`), options: { substitutions: { 'gloak-probe-pw-temp': 'probe-pw-temp', 'gloak-probe-pw-temp@example.com': 'probe-pw-temp@example.com' } } };
    },
  },
  {
    file: 'users/reset-password-no-value.http',
    run: async () => {
      const id = await createUser({ username: 'probe-no-value' });
      return { response: await call('PUT', `${users}/${id}/reset-password`, { body: { type: 'password', temporary: false } }) };
    },
  },
  {
    file: 'users/credentials-list.http',
    run: async () => {
      const id = await createUser({ username: 'probe-creds', credentials: [{ type: 'password', value: 'Probe-Creds-2026!', temporary: false }] });
      return { response: await call('GET', `${users}/${id}/credentials`) };
    },
  },
  {
    file: 'users/inline-credential-temporary.http',
    run: async () => {
      const id = await createUser({ username: 'probe-inline-temp', credentials: [{ type: 'password', value: 'Probe-Inline-2026!', temporary: true }] });
      return { response: await call('GET', `${users}/${id}`), options: { substitutions: { 'gloak-probe-inline-temp': 'probe-inline-temp' }, bindings: { user_id: id } } };
    },
  },
  {
    file: 'users/logout.http',
    run: async () => {
      const id = await createUser({ username: 'probe-logout' });
      return { response: await call('POST', `${users}/${id}/logout`) };
    },
  },
  {
    file: 'users/sessions.http',
    run: async () => {
      const id = await createUser({ username: 'probe-sess-user' });
      // A session as oidc-provider stores one after a browser login at onramp-console.
      const now = Math.floor(Date.now() / 1000);
      await idp.ctx.store.oidc.upsert('Session', randomUUID(), { accountId: id, uid: randomUUID(), loginTs: now, authorizations: { 'onramp-console': { sid: randomUUID(), grantId: randomUUID() } } }, 600);
      const console = idp.ctx.realms.get('sandbox')!.realm.clients.find((c) => c.clientId === 'onramp-console')!;
      return {
        response: await call('GET', `${users}/${id}/sessions`),
        options: {
          substitutions: { 'gloak-probe-sess': 'sandbox', 'gloak-probe-sess-user': 'probe-sess-user', '5e551040-0000-4000-8000-000000000001': console.id, 'gloak-probe-sess-user-app': 'onramp-console' },
          bindings: { session_user_id: id },
        },
      };
    },
  },
  { file: 'users/count.http', run: async () => ({ response: await call('GET', `${users}/count?search=sysadmin`) }) },
  { file: 'users/unknown-realm.http', run: async () => ({ response: await call('GET', '/admin/realms/nosuchrealm/users') }) },

  { file: 'role-mapper/list-realm.http', run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings/realm`), options: { substitutions: { 'default-roles-master': 'default-roles-sandbox' } } }) },
  {
    file: 'role-mapper/assign-realm.http',
    run: async () => {
      const id = await createUser({ username: 'probe-assign' });
      return { response: await call('POST', `${users}/${id}/role-mappings/realm`, { body: [await roleRep('/admin/realms/sandbox/roles/tenant_admin')] }) };
    },
  },
  {
    file: 'role-mapper/remove-realm.http',
    run: async () => {
      const id = await mappedUser();
      return { response: await call('DELETE', `${users}/${id}/role-mappings/realm`, { body: [await roleRep('/admin/realms/sandbox/roles/gloak-probe-mapping-realm')] }) };
    },
  },
  {
    file: 'role-mapper/available-realm.http',
    // The recording lists master's roles; ours differ, so elements are compared by shape, and in full where a role of the same name was recorded.
    run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings/realm/available`), options: { arrays: { mode: 'shape', key: 'name' } } }),
  },
  { file: 'role-mapper/composite-realm.http', run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings/realm/composite`), options: { substitutions: { 'default-roles-master': 'default-roles-sandbox' } } }) },
  { file: 'role-mapper/all.http', run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings`), options: { substitutions: { 'default-roles-master': 'default-roles-sandbox' } } }) },
  { file: 'role-mapper/unknown-user.http', run: async () => ({ response: await call('GET', `${users}/${NIL}/role-mappings`) }) },

  {
    file: 'roles/read-realm.http',
    // master's composite "admin" role is stood in for by our composite default role.
    run: async () => ({ response: await call('GET', '/admin/realms/sandbox/roles/default-roles-sandbox'), options: { substitutions: { admin: 'default-roles-sandbox', '${role_admin}': '${role_default-roles}' } } }),
  },
  { file: 'roles/not-found.http', run: async () => ({ response: await call('GET', '/admin/realms/sandbox/roles/no-such-role') }) },
];

/** Recordings deliberately not replayed, with the reason; empty while every one is covered. */
const NOT_COVERED: Record<string, string> = Object.fromEntries(
  [
    'client-role-mappings/assign.http', 'client-role-mappings/available.http', 'client-role-mappings/composite-full.http', 'client-role-mappings/composite.http',
    'client-role-mappings/list.http', 'client-role-mappings/remove.http', 'client-role-mappings/unknown-client.http', 'clients/list-all.http',
    'clients/list-to-a-query-clients-caller.http', 'clients/read-created.http', 'clients/read-unknown.http', 'realms-admin/read-unknown.http', 'realms-admin/read.http',
    'role-mapper/assign-realm-client-role.http', 'role-mapper/composite-realm-full.http', 'roles/list-realm-full.http', 'roles/list-realm-page-first.http',
    'roles/list-realm-page-past-end.http', 'roles/list-realm-search-excludes-client-roles.http', 'roles/read-created.http',
    'users/create-credential-without-value-rolled-back.http', 'users/create-enabled-wrong-type.http', 'users/create-null-body.http', 'users/create-unknown-field.http',
    'users/credentials-empty.http', 'users/inline-credential-ignores-type-and-label.http', 'users/inline-credential-keeps-temporary.http',
    'users/inline-credential-temporary-then-not.http', 'users/inline-credential.http', 'users/list-brief.http', 'users/logout-unknown.http',
    'users/read-to-a-manage-users-caller.http', 'users/scope-filtered-read-full-scope.http', 'users/update-credential-without-value.http', 'users/update-unknown.http',
  ].map((f) => [f, 'additional recording, not replayed yet (issue 12)']),
);

beforeAll(async () => {
  idp = await startIdp({ realmFile: await probeRealmFile() });
  // The recordings were made as master's admin; sysadmin holds realm-admin in our realm.
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' });
  if (!t) throw new Error('the token endpoint gave no token for sysadmin');
  token = t;
});

afterAll(async () => {
  await idp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('admin API conforms to the Keycloak 26 recordings', () => {
  it.each(SCENARIOS)('$file', async ({ file, run }) => {
    const rec = await loadRecording(join(ADMIN_DIR, file));
    const { response, options } = await run();
    const substitutions = { ...master, ...options?.substitutions };
    expect(`${response.method} ${response.path.split('?')[0]}`).toMatch(requestLine(rec.method, rec.path, substitutions));
    const problems = compareResponse(rec, response, { issuer: idp.url, ...options, substitutions });
    expect(problems, `${rec.method} ${rec.path}\n${response.body}`).toEqual([]);
  });

  it('covers every admin recording, or says why not', async () => {
    const files = (await readdir(ADMIN_DIR, { recursive: true })).filter((f) => f.endsWith('.http')).sort();
    const covered = new Set(SCENARIOS.map((s) => s.file));
    const unaccounted = files.filter((f) => !covered.has(f) && !(f in NOT_COVERED));
    expect(unaccounted).toEqual([]);
    expect(SCENARIOS.map((s) => s.file).filter((f) => !files.includes(f))).toEqual([]);
  });

});
