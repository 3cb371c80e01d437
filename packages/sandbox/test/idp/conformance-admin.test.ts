// Every recorded Keycloak 26 admin API response (keycloak-reference/admin/) replayed against the
// sandbox IdP. The recordings keep neither query nor body, so each scenario rebuilds the request
// its name describes. Recorded realm "master" (and "gloak-probe-sess") is our "sandbox"; recorded
// users and roles are stood in for by ones created here, named through substitutions.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { compareResponse, loadRecording, type ActualResponse, type CompareOptions } from '../conformance/recording.ts';
import { tokenFromEndpoint } from '../support/tokens.ts';
import { requireReference } from '../support/reference.ts';
import { createUserWithPassword } from '../support/users.ts';
import { FidelityLog } from '../conformance/fidelity.ts';

const ADMIN_DIR = join(requireReference(), 'admin');
const NIL = '00000000-0000-0000-0000-000000000000';

let idp: RunningIdp;
let dir: string;
let token: string;

const PROBE_REALM = 'gloak-probe-realm';
const CALLER_PASSWORD = 'Probe-Caller-2026!';
const PROBE_ATTRS = { probe: ['v1', 'v2'] };

/**
 * The sandbox realm plus what the recordings' requests named: probe roles (some with attributes),
 * clients with roles to map, a confidential client as gloak created it, and a client whose role
 * shares a prefix with a realm role. A second realm stands for the one gloak created and read.
 */
async function probeRealmFiles(): Promise<string[]> {
  const realm = JSON.parse(await readFile(DEFAULT_REALM_FILE, 'utf8'));
  realm.roles.realm.push({ name: 'gloak-probe-mapping-realm', composite: false, attributes: PROBE_ATTRS });
  for (const side of ['app', 'side']) {
    realm.clients.push({ clientId: `gloak-probe-mapping-${side}`, publicClient: true, standardFlowEnabled: false, redirectUris: [] });
    realm.roles.client[`gloak-probe-mapping-${side}`] = [{ name: `gloak-probe-mapping-${side}-role`, composite: false, attributes: PROBE_ATTRS }];
  }
  realm.roles.client['gloak-probe-mapping-app'].push({ name: 'gloak-probe-mapping-app-free', composite: false });
  realm.clients.push(
    // As gloak created it through the admin API: Keycloak's default scopes and a generated secret.
    {
      clientId: 'gloak-probe-read', secret: 'probe-read-secret', redirectUris: [], attributes: { 'client.secret.creation.time': '1767225600' },
      defaultClientScopes: ['acr', 'basic', 'email', 'profile', 'roles', 'web-origins'], optionalClientScopes: ['address', 'microprofile-jwt', 'offline_access', 'organization', 'phone'],
    },
  );
  // A realm as POST /admin/realms creates it (no display name, no password policy, Keycloak's
  // defaults), holding the roles the role-listing recordings created, so that listings of the
  // sandbox realm's roles (available-realm) are not changed by them.
  const second = {
    realm: PROBE_REALM,
    enabled: true,
    roles: {
      realm: [
        { name: `default-roles-${PROBE_REALM}`, description: '${role_default-roles}', composite: true, composites: { realm: ['offline_access', 'uma_authorization'] } },
        { name: 'offline_access', description: '${role_offline-access}', composite: false },
        { name: 'uma_authorization', description: '${role_uma_authorization}', composite: false },
        { name: 'gloak-probe-attrs', composite: false, attributes: { attribute1: ['value1', 'value2'] } },
        { name: 'gloak-probe-page-a', composite: false },
        { name: 'gloak-probe-page-b', composite: false },
        { name: 'gloak-probe-shared-realm', composite: false },
        { name: 'gloak-probe-role', description: 'a probe', composite: false },
      ],
      client: {
        'realm-management': [{ name: 'realm-admin', composite: true, composites: { client: { 'realm-management': ['view-realm'] } } }, { name: 'view-realm', composite: false }],
        'gloak-probe-shared': [{ name: 'gloak-probe-shared-client', composite: false }],
      },
    },
    defaultRole: { name: `default-roles-${PROBE_REALM}` },
    clientScopes: [],
    clients: [
      { clientId: 'admin-cli', publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true, defaultClientScopes: [] },
      { clientId: 'realm-management', bearerOnly: true },
      { clientId: 'gloak-probe-shared', publicClient: true, standardFlowEnabled: false },
    ],
    users: [{ username: 'probe-realm-admin', enabled: true, credentials: [{ type: 'password', value: CALLER_PASSWORD }], clientRoles: { 'realm-management': ['realm-admin'] } }],
  };
  dir = await mkdtemp(join(tmpdir(), 'onramp-conformance-'));
  const files = [join(dir, 'realm.json'), join(dir, 'second.json')];
  await writeFile(files[0]!, JSON.stringify(realm));
  await writeFile(files[1]!, JSON.stringify(second));
  return files;
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

/** A sandbox user holding only the given realm-management roles, and an admin-cli token for it. */
async function callerWith(roles: string[]): Promise<string> {
  const username = `probe-caller-${randomUUID().slice(0, 8)}`;
  await createUserWithPassword(idp, CALLER_PASSWORD, { username, clientRoles: { 'realm-management': roles } });
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username, password: CALLER_PASSWORD });
  if (!t) throw new Error(`no token for a caller with ${roles.join(', ')}`);
  return `Bearer ${t}`;
}

async function probeRealmAdmin(): Promise<string> {
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username: 'probe-realm-admin', password: CALLER_PASSWORD }, PROBE_REALM);
  return `Bearer ${t}`;
}

const clientUuid = async (clientId: string) => (JSON.parse((await call('GET', `/admin/realms/sandbox/clients?clientId=${clientId}`)).body) as { id: string }[])[0]!.id;

interface Scenario {
  /** Path below admin/, e.g. users/create.http. */
  file: string;
  /** Performs the request the recording describes (after any setup) and says how to compare. */
  run(): Promise<{ response: Exchange; options?: CompareOptions }>;
  /** A difference from Keycloak that remains, with its reason: still replayed, and must still differ. */
  known?: string;
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

  { file: 'users/create-unknown-field.http', run: async () => ({ response: await call('POST', users, { raw: '{"username":"probe-unknown-field","nosuchfield":"x"}' }) }) },
  { file: 'users/create-enabled-wrong-type.http', run: async () => ({ response: await call('POST', users, { body: { username: 'probe-wrong-type', enabled: 'yes' } }) }) },
  { file: 'users/create-null-body.http', run: async () => ({ response: await call('POST', users, { raw: 'null' }) }) },
  {
    file: 'users/create-credential-without-value-rolled-back.http',
    run: async () => {
      const failed = await call('POST', users, { body: { username: 'probe-rolled-back', enabled: true, credentials: [{ type: 'password', temporary: false }] } });
      expect(failed.status).toBe(400);
      return { response: await call('GET', `${users}?username=probe-rolled-back&exact=true`) };
    },
  },
  { file: 'users/credentials-empty.http', run: async () => ({ response: await call('GET', `${users}/${await createUser({ username: 'probe-no-creds' })}/credentials`) }) },
  {
    file: 'users/inline-credential.http',
    run: async () => ({ response: await call('GET', `${users}/${await createUser({ username: 'probe-inline', credentials: [{ type: 'password', value: 'Probe-Inline-2026!', temporary: false }] })}/credentials`) }),
  },
  {
    file: 'users/inline-credential-ignores-type-and-label.http',
    run: async () => ({ response: await call('GET', `${users}/${await createUser({ username: 'probe-inline-typed', credentials: [{ type: 'secret', userLabel: 'mine', value: 'Probe-Inline-2026!' }] })}/credentials`) }),
  },
  {
    file: 'users/inline-credential-keeps-temporary.http',
    run: async () => {
      const id = await createUser({ username: 'probe-inline-keeps', credentials: [{ type: 'password', value: 'Probe-Inline-2026!', temporary: true }] });
      return { response: await call('GET', `${users}/${id}`), options: { substitutions: { 'gloak-probe-inline-keeps': 'probe-inline-keeps' } } };
    },
  },
  {
    file: 'users/inline-credential-temporary-then-not.http',
    run: async () => {
      const credentials = [{ type: 'password', value: 'Probe-Inline-2026!', temporary: true }, { type: 'password', value: 'Probe-Inline-2027!', temporary: false }];
      const id = await createUser({ username: 'probe-inline-mixed', credentials });
      return { response: await call('GET', `${users}/${id}`), options: { substitutions: { 'gloak-probe-inline-mixed': 'probe-inline-mixed' }, bindings: { user_id: id } } };
    },
  },
  {
    file: 'users/list-brief.http',
    run: async () => {
      await createUser({ username: 'probe-brief', attributes: { platform_role: ['true'] } });
      return { response: await call('GET', `${users}?search=probe-brief&briefRepresentation=true`), options: { substitutions: { admin: 'probe-brief', is_temporary_admin: 'platform_role' } } };
    },
  },
  { file: 'users/logout-unknown.http', run: async () => ({ response: await call('POST', `${users}/${NIL}/logout`) }) },
  {
    file: 'users/read-to-a-manage-users-caller.http',
    run: async () => {
      const id = await createUser({ username: 'probe-caller-read', firstName: 'Ada', lastName: 'Lovelace', email: 'probe-caller-read@example.com' });
      const subs = { 'gloak-probe-caller-manage-users': 'probe-caller-read', 'gloak-probe-caller-manage-users@example.com': 'probe-caller-read@example.com' };
      return { response: await call('GET', `${users}/${id}`, { auth: await callerWith(['manage-users']) }), options: { substitutions: subs } };
    },
  },
  // gloak read through a client with full scope off; the sandbox's admin API, like Keycloak's, asks the user model, not the token.
  { file: 'users/scope-filtered-read-full-scope.http', run: async () => ({ response: await call('GET', `${users}/${NIL}`) }) },
  {
    file: 'users/update-credential-without-value.http',
    run: async () => ({ response: await call('PUT', `${users}/${await createUser({ username: 'probe-update-novalue' })}`, { body: { credentials: [{ type: 'password', temporary: false }] } }) }),
  },
  { file: 'users/update-unknown.http', run: async () => ({ response: await call('PUT', `${users}/${NIL}`, { body: { firstName: 'Nobody' } }) }) },

  {
    file: 'client-role-mappings/assign.http',
    run: async () => {
      const client = await clientUuid('gloak-probe-mapping-app');
      const id = await createUser({ username: `probe-client-assign-${randomUUID().slice(0, 8)}` });
      const role = await roleRep(`/admin/realms/sandbox/clients/${client}/roles/gloak-probe-mapping-app-free`);
      return { response: await call('POST', `${users}/${id}/role-mappings/clients/${client}`, { body: [role] }) };
    },
  },
  ...(['list', 'composite', 'available'] as const).map((kind) => ({
    file: `client-role-mappings/${kind}.http`,
    run: async () => {
      const client = await clientUuid('gloak-probe-mapping-app');
      const suffix = kind === 'list' ? '' : `/${kind}`;
      return { response: await call('GET', `${users}/${await mappedUser()}/role-mappings/clients/${client}${suffix}`), options: { bindings: { client_uuid: client } } };
    },
  })),
  {
    file: 'client-role-mappings/composite-full.http',
    run: async () => {
      const client = await clientUuid('gloak-probe-mapping-app');
      return { response: await call('GET', `${users}/${await mappedUser()}/role-mappings/clients/${client}/composite?briefRepresentation=false`), options: { bindings: { client_uuid: client } } };
    },
  },
  {
    file: 'client-role-mappings/remove.http',
    run: async () => {
      const client = await clientUuid('gloak-probe-mapping-app');
      const role = await roleRep(`/admin/realms/sandbox/clients/${client}/roles/gloak-probe-mapping-app-role`);
      return { response: await call('DELETE', `${users}/${await mappedUser()}/role-mappings/clients/${client}`, { body: [role] }) };
    },
  },
  { file: 'client-role-mappings/unknown-client.http', run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings/clients/${NIL}`) }) },

  {
    file: 'role-mapper/assign-realm-client-role.http',
    run: async () => {
      const client = await clientUuid('gloak-probe-mapping-app');
      const role = await roleRep(`/admin/realms/sandbox/clients/${client}/roles/gloak-probe-mapping-app-role`);
      return { response: await call('POST', `${users}/${await createUser({ username: 'probe-wrong-container' })}/role-mappings/realm`, { body: [role] }) };
    },
  },
  {
    file: 'role-mapper/composite-realm-full.http',
    run: async () => ({ response: await call('GET', `${users}/${await mappedUser()}/role-mappings/realm/composite?briefRepresentation=false`), options: { substitutions: { 'default-roles-master': 'default-roles-sandbox' } } }),
  },

  ...(
    [
      ['roles/read-created.http', 'roles/gloak-probe-role'],
      ['roles/list-realm-full.http', 'roles?search=gloak-probe-attrs&briefRepresentation=false'],
      ['roles/list-realm-page-first.http', 'roles?search=gloak-probe-page&first=1&max=1'],
      ['roles/list-realm-page-past-end.http', 'roles?first=1000&max=10'],
      ['roles/list-realm-search-excludes-client-roles.http', 'roles?search=gloak-probe-shared'],
    ] as const
  ).map(([file, path]) => ({
    file,
    run: async () => ({ response: await call('GET', `/admin/realms/${PROBE_REALM}/${path}`, { auth: await probeRealmAdmin() }), options: { substitutions: { master: PROBE_REALM } } }),
  })),

  {
    file: 'clients/list-all.http',
    run: async () => ({ response: await call('GET', '/admin/realms/sandbox/clients'), options: { arrays: { mode: 'shape', key: 'clientId' } } }),
    known: "the recording lists master's built-in clients (account, security-admin-console with rootUrl, baseUrl and protocolMappers; admin-cli with master's client scopes); the sandbox realm's clients differ in settings, so no listed element has a recorded twin of the same shape",
  },
  { file: 'clients/list-to-a-query-clients-caller.http', run: async () => ({ response: await call('GET', '/admin/realms/sandbox/clients', { auth: await callerWith(['query-clients']) }) }) },
  { file: 'clients/read-created.http', run: async () => ({ response: await call('GET', `/admin/realms/sandbox/clients/${await clientUuid('gloak-probe-read')}`) }) },
  { file: 'clients/read-unknown.http', run: async () => ({ response: await call('GET', `/admin/realms/sandbox/clients/${NIL}`) }) },

  { file: 'realms-admin/read-unknown.http', run: async () => ({ response: await call('GET', '/admin/realms/gloak-probe-no-such-realm') }) },
  {
    file: 'realms-admin/read.http',
    run: async () => ({ response: await call('GET', `/admin/realms/${PROBE_REALM}`, { auth: await probeRealmAdmin() }) }),
  },
];

/** Recordings deliberately not replayed, with the reason; empty while every one is replayed. */
const NOT_COVERED: Record<string, string> = {};
const fidelity = new FidelityLog('admin recordings', NOT_COVERED);
afterAll(() => console.log(fidelity.summary()));

beforeAll(async () => {
  idp = await startIdp({ realmFile: await probeRealmFiles() });
  // The recordings were made as master's admin; sysadmin holds realm-admin in our realm.
  const t = await tokenFromEndpoint(idp, { grant_type: 'password', client_id: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' });
  if (!t) throw new Error('the token endpoint gave no token for sysadmin');
  token = t;
});

afterAll(async () => {
  await idp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Shuffled on every run (vitest prints the seed): no scenario may depend on another's leftovers.
describe.shuffle('admin API conforms to the Keycloak 26 recordings', () => {
  it.each(SCENARIOS)('$file', async ({ file, run, known }) => {
    const rec = await loadRecording(join(ADMIN_DIR, file));
    const { response, options } = await run();
    const substitutions = { ...master, ...options?.substitutions };
    expect(`${response.method} ${response.path.split('?')[0]}`).toMatch(requestLine(rec.method, rec.path, substitutions));
    const problems = compareResponse(rec, response, { issuer: idp.url, ...options, substitutions });
    fidelity.record({ file, problems, known });
    if (known) expect(problems, `${file} is listed as a known difference (${known}) but now matches`).not.toEqual([]);
    else expect(problems, `${rec.method} ${rec.path}\n${response.body}`).toEqual([]);
  });

  it('covers every admin recording, or says why not', async () => {
    const files = (await readdir(ADMIN_DIR, { recursive: true })).filter((f) => f.endsWith('.http')).sort();
    const covered = new Set(SCENARIOS.map((s) => s.file));
    const unaccounted = files.filter((f) => !covered.has(f) && !(f in NOT_COVERED));
    expect(unaccounted).toEqual([]);
    expect(SCENARIOS.map((s) => s.file).filter((f) => !files.includes(f))).toEqual([]);
  });

});
