// The real @keycloak/keycloak-admin-client against the sandbox IdP, unchanged, as the platform
// uses it, authenticated through the IdP's own token endpoint.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { userByName } from '../support/tokens.ts';

let idp: RunningIdp;
let kc: KcAdminClient;

const PLATFORM_ADMIN = { grantType: 'client_credentials', clientId: 'platform-admin', clientSecret: 'sandbox-admin-secret' } as const;
const SYSADMIN = { grantType: 'password', clientId: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' } as const;

function client(): KcAdminClient {
  return new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
}

/** An admin client for the platform's service account. */
async function platformAdmin(): Promise<KcAdminClient> {
  const c = client();
  await c.auth(PLATFORM_ADMIN);
  return c;
}

/** The error a call fails with; the admin client throws NetworkError with the parsed body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof NetworkError) return { status: err.response.status, data: err.responseData };
    throw err;
  }
  throw new Error('expected the call to fail');
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
  kc = await platformAdmin();
});

afterAll(async () => {
  await idp?.close();
});

describe('authentication', () => {
  it('by client credentials (platform-admin)', async () => {
    const c = client();
    await c.auth(PLATFORM_ADMIN);
    expect((await c.users.find({ username: 'sysadmin', exact: true })).map((u) => u.username)).toEqual(['sysadmin']);
  });

  it('stops working once its session is revoked (refresh token) or its access token is', async () => {
    const endpoint = (path: string) => `${idp.url}/realms/sandbox/protocol/openid-connect/${path}`;
    const revoke = (token: string) => fetch(endpoint('revoke'), { method: 'POST', body: new URLSearchParams({ client_id: 'admin-cli', token }) });
    const byRefresh = client();
    await byRefresh.auth(SYSADMIN);
    expect((await revoke(byRefresh.refreshToken!)).status).toBe(200);
    expect((await failure(byRefresh.users.find({ max: 1 }))).status).toBe(401);

    const byAccess = client();
    await byAccess.auth(SYSADMIN);
    expect((await revoke(byAccess.accessToken!)).status).toBe(200);
    expect((await failure(byAccess.users.find({ max: 1 }))).status).toBe(401);
    // The session lives on: the admin client's refresh brings it back.
    await byAccess.auth({ grantType: 'refresh_token', clientId: 'admin-cli', refreshToken: byAccess.refreshToken! });
    expect((await byAccess.users.find({ username: 'sysadmin', exact: true })).length).toBe(1);
  });

  it('is logged out by a POST logout with its refresh token', async () => {
    const c = client();
    await c.auth(SYSADMIN);
    const res = await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/logout`, { method: 'POST', body: new URLSearchParams({ client_id: 'admin-cli', refresh_token: c.refreshToken! }) });
    expect(res.status).toBe(204);
    expect((await failure(c.users.find({ max: 1 }))).status).toBe(401);
  });

  it('by password (admin-cli, sysadmin)', async () => {
    const c = client();
    await c.auth(SYSADMIN);
    const realm = await c.realms.findOne({ realm: 'sandbox' });
    expect(realm).toMatchObject({ realm: 'sandbox', displayName: 'onramp sandbox', enabled: true, accessTokenLifespan: 300 });
  });

  it('refuses a client without a token: 401 with Keycloak\'s body', async () => {
    expect(await failure(client().users.find())).toEqual({ status: 401, data: { error: 'HTTP 401 Unauthorized' } });
  });

  it('refuses a login\'s token once an admin has logged its user out', async () => {
    const c = client();
    await c.auth(SYSADMIN);
    expect(await c.users.count()).toBeGreaterThan(0);
    const me = await userByName(idp, 'sysadmin');
    await kc.users.logout({ id: me.id });
    expect(await failure(c.users.count())).toEqual({ status: 401, data: { error: 'HTTP 401 Unauthorized' } });
  });

  it('refuses a valid token without realm-management roles: 403', async () => {
    // An ordinary user, logged in through admin-cli: a real token, but no realm-management role.
    const username = unique('plain');
    await kc.users.create({ username, enabled: true, credentials: [{ type: 'password', value: 'Plain-User-2026!', temporary: false }] });
    const plain = client();
    await plain.auth({ grantType: 'password', clientId: 'admin-cli', username, password: 'Plain-User-2026!' });
    expect(await failure(plain.users.find())).toEqual({ status: 403, data: { error: 'HTTP 403 Forbidden' } });
    expect(await failure(plain.realms.findOne({ realm: 'sandbox' }))).toEqual({ status: 403, data: { error: 'HTTP 403 Forbidden' } });
  });
});

describe('users', () => {
  it('refuses a create with an unknown field as Keycloak does, naming the field and where it is', async () => {
    const username = unique('onramp-probe-unknown');
    const { status, data } = await failure(kc.users.create({ username, enabled: true, nosuchfield: 'x' } as never));
    // JSON.stringify writes the body compactly: the column is just past the value's opening quote.
    const column = JSON.stringify({ username, enabled: true, nosuchfield: 'x' }).indexOf('"x"') + 2;
    expect({ status, data }).toEqual({ status: 400, data: { error: `Invalid json representation for UserRepresentation. Unrecognized field "nosuchfield" at line 1 column ${column}.` } });
    expect(await kc.users.find({ username, exact: true })).toEqual([]);
  });

  it('takes inline credentials as Keycloak does: type and label ignored, any temporary one requires an update, a missing value rolls back', async () => {
    const username = unique('onramp-probe-inline');
    const { id } = await kc.users.create({ username, enabled: true, credentials: [{ type: 'otp', userLabel: 'mine', value: 'Inline-Passw0rd!', temporary: true }, { value: 'Inline-Passw0rd-2!', temporary: false }] });
    expect((await kc.users.getCredentials({ id })).map((c) => [c.type, c.userLabel])).toEqual([['password', undefined]]);
    expect((await kc.users.findOne({ id }))!.requiredActions).toEqual(['UPDATE_PASSWORD']);

    const rolledBack = unique('onramp-probe-novalue');
    expect(await failure(kc.users.create({ username: rolledBack, enabled: true, credentials: [{ type: 'password', temporary: false }] }))).toEqual({ status: 400, data: { errorMessage: 'Could not create user' } });
    expect(await kc.users.find({ username: rolledBack, exact: true })).toEqual([]);
    expect(await failure(kc.users.update({ id }, { credentials: [{ type: 'password' }] }))).toEqual({ status: 400, data: { errorMessage: 'Could not update user!' } });
  });

  it('creates a user: declared attributes kept, undeclared dropped, temporary password -> UPDATE_PASSWORD', async () => {
    const username = unique('Onramp-Probe');
    const { id } = await kc.users.create({
      username,
      email: `${username}@example.com`,
      enabled: true,
      attributes: { tenant_id: ['t-1'], onramp_run_id: ['run-7'], favourite_colour: ['blue'] },
      credentials: [{ type: 'password', value: 'Probe-Temporary-2026!', temporary: true }],
    });
    const user = await kc.users.findOne({ id });
    expect(user).toMatchObject({
      id,
      username: username.toLowerCase(),
      email: `${username.toLowerCase()}@example.com`,
      enabled: true,
      attributes: { tenant_id: ['t-1'], onramp_run_id: ['run-7'] },
      requiredActions: ['UPDATE_PASSWORD'],
    });
    expect(user?.attributes).not.toHaveProperty('favourite_colour');
  });

  it('finds a user by exact username, and only that one', async () => {
    const username = unique('exact');
    await kc.users.create({ username, enabled: true });
    await kc.users.create({ username: `${username}-longer`, enabled: true });
    expect((await kc.users.find({ username, exact: true })).map((u) => u.username)).toEqual([username]);
    expect((await kc.users.find({ username })).map((u) => u.username)).toEqual([username, `${username}-longer`]);
    expect(await kc.users.count({ username })).toBe(2);
  });

  it('finds users by attribute (q=key:value)', async () => {
    const tenant = unique('tenant');
    const { id } = await kc.users.create({ username: unique('attr'), enabled: true, attributes: { tenant_id: [tenant] } });
    expect((await kc.users.find({ q: `tenant_id:${tenant}` })).map((u) => u.id)).toEqual([id]);
  });

  it('resets a password: permanent clears UPDATE_PASSWORD, the credential is argon2', async () => {
    const { id } = await kc.users.create({ username: unique('reset'), enabled: true, credentials: [{ type: 'password', value: 'Probe-First-2026!', temporary: true }] });
    await kc.users.resetPassword({ id, credential: { type: 'password', value: 'Probe-Second-2026!', temporary: false } });
    expect((await kc.users.findOne({ id }))?.requiredActions).toEqual([]);
    const creds = await kc.users.getCredentials({ id });
    expect(creds).toHaveLength(1);
    expect(JSON.parse(creds[0]!.credentialData!)).toMatchObject({ algorithm: 'argon2', hashIterations: 5 });
    await kc.users.resetPassword({ id, credential: { type: 'password', value: 'Probe-Third-2026!', temporary: true } });
    expect((await kc.users.findOne({ id }))?.requiredActions).toEqual(['UPDATE_PASSWORD']);
  });

  it('updates by merging: absent fields keep their values', async () => {
    const { id } = await kc.users.create({ username: unique('merge'), enabled: true, firstName: 'Ada', lastName: 'Lovelace', attributes: { org_id: ['o-1'] } });
    await kc.users.update({ id }, { firstName: 'Grace' });
    expect(await kc.users.findOne({ id })).toMatchObject({ firstName: 'Grace', lastName: 'Lovelace', attributes: { org_id: ['o-1'] } });
  });

  it('surfaces a duplicate username as 409 with Keycloak\'s body', async () => {
    expect(await failure(kc.users.create({ username: 'sysadmin', enabled: true }))).toEqual({ status: 409, data: { errorMessage: 'User exists with same username' } });
    expect(await failure(kc.users.create({ username: unique('dup'), email: 'sysadmin@sandbox.onramp.test' }))).toEqual({ status: 409, data: { errorMessage: 'User exists with same email' } });
  });

  it.each([
    ['Short-1!', 'invalidPasswordMinLengthMessage', 'Invalid password: minimum length 12.'],
    ['no-upper-case-2026!', 'invalidPasswordMinUpperCaseCharsMessage', 'Invalid password: must contain at least 1 upper case characters.'],
    ['NO-LOWER-CASE-2026!', 'invalidPasswordMinLowerCaseCharsMessage', 'Invalid password: must contain at least 1 lower case characters.'],
    ['No-Digits-At-All!', 'invalidPasswordMinDigitsMessage', 'Invalid password: must contain at least 1 numerical digits.'],
    ['NoSpecialChars2026', 'invalidPasswordMinSpecialCharsMessage', 'Invalid password: must contain at least 1 special characters.'],
  ])('refuses the weak password %s with 400 %s, on create and on reset', async (password, error, description) => {
    const username = unique('weak');
    const body = { error, error_description: description };
    expect(await failure(kc.users.create({ username, enabled: true, credentials: [{ type: 'password', value: password, temporary: false }] }))).toEqual({ status: 400, data: body });
    // A refused credential rolls the creation back.
    expect(await kc.users.find({ username, exact: true })).toEqual([]);
    const { id } = await kc.users.create({ username, enabled: true });
    expect(await failure(kc.users.resetPassword({ id, credential: { type: 'password', value: password, temporary: false } }))).toEqual({ status: 400, data: body });
  });

  it('refuses a password equal to the username (notUsername)', async () => {
    const username = unique('Name-Is-Pass-2026!');
    const { id } = await kc.users.create({ username, enabled: true });
    expect(await failure(kc.users.resetPassword({ id, credential: { type: 'password', value: username, temporary: false } }))).toEqual({
      status: 400,
      data: { error: 'invalidPasswordNotUsernameMessage', error_description: 'Invalid password: must not be equal to the username.' },
    });
  });

  it('deletes a user; findOne then answers null', async () => {
    const { id } = await kc.users.create({ username: unique('gone'), enabled: true });
    await kc.users.del({ id });
    expect(await kc.users.findOne({ id })).toBeNull();
    expect(await failure(kc.users.del({ id }))).toEqual({ status: 404, data: { error: 'User not found' } });
  });

  it('logs a user out: sessions and grants are gone', async () => {
    const { id } = await kc.users.create({ username: unique('sess'), enabled: true });
    const grantId = randomUUID();
    await idp.ctx.store.oidc.upsert('Session', randomUUID(), { accountId: id, uid: randomUUID(), loginTs: Math.floor(Date.now() / 1000), authorizations: { 'onramp-console': { sid: randomUUID(), grantId } } }, 600);
    await idp.ctx.store.oidc.upsert('Grant', grantId, { accountId: id, clientId: 'onramp-console' }, 600);
    await idp.ctx.store.oidc.upsert('RefreshToken', randomUUID(), { accountId: id, grantId }, 600);
    const sessions = await kc.users.listSessions({ id });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ userId: id, clients: { [idp.ctx.realms.get('sandbox')!.realm.clients.find((c) => c.clientId === 'onramp-console')!.id]: 'onramp-console' } });
    await kc.users.logout({ id });
    expect(await kc.users.listSessions({ id })).toEqual([]);
    expect(await idp.ctx.store.oidc.listByAccount('RefreshToken', id)).toEqual([]);
  });
});

describe('roles and role mappings', () => {
  it('finds a realm role by name, null for an unknown one', async () => {
    expect(await kc.roles.findOneByName({ name: 'tenant_admin' })).toMatchObject({ name: 'tenant_admin', composite: false, clientRole: false, containerId: 'sandbox', attributes: {} });
    expect(await kc.roles.findOneByName({ name: 'no-such-role' })).toBeNull();
  });

  it('adds, lists, expands and removes realm role mappings', async () => {
    const { id } = await kc.users.create({ username: unique('mapped'), enabled: true });
    const role = await kc.roles.findOneByName({ name: 'tenant_admin' });
    await kc.users.addRealmRoleMappings({ id, roles: [{ id: role!.id!, name: role!.name! }] });
    expect((await kc.users.listRealmRoleMappings({ id })).map((r) => r.name)).toEqual(['default-roles-sandbox', 'tenant_admin']);
    expect((await kc.users.listCompositeRealmRoleMappings({ id })).map((r) => r.name)).toEqual(['default-roles-sandbox', 'offline_access', 'tenant_admin', 'uma_authorization']);
    expect((await kc.users.listAvailableRealmRoleMappings({ id })).map((r) => r.name)).not.toContain('tenant_admin');
    await kc.users.delRealmRoleMappings({ id, roles: [{ id: role!.id!, name: role!.name! }] });
    expect((await kc.users.listRealmRoleMappings({ id })).map((r) => r.name)).toEqual(['default-roles-sandbox']);
  });

  it('refuses a mapping whose id does not match the named role (Keycloak looks both up)', async () => {
    const { id } = await kc.users.create({ username: unique('badmap'), enabled: true });
    expect(await failure(kc.users.addRealmRoleMappings({ id, roles: [{ id: randomUUID(), name: 'tenant_admin' }] }))).toEqual({ status: 404, data: { error: 'Role not found' } });
  });

  it('lets a manage-users caller not grant itself realm-management roles it lacks', async () => {
    // platform-admin may not list clients (no query-clients, as in Keycloak): take the uuid from the realm.
    const realmManagement = idp.ctx.realms.get('sandbox')!.realm.clients.find((c) => c.clientId === 'realm-management')!;
    const realmAdmin = realmManagement.roles.find((r) => r.name === 'realm-admin')!;
    const sa = await userByName(idp, 'service-account-platform-admin');
    expect(await failure(kc.users.addClientRoleMappings({ id: sa.id, clientUniqueId: realmManagement.id, roles: [{ id: realmAdmin.id, name: realmAdmin.name }] }))).toEqual({
      status: 403,
      data: { error: 'HTTP 403 Forbidden' },
    });
    expect(await failure(kc.clients.find({ clientId: 'realm-management' }))).toEqual({ status: 403, data: { error: 'HTTP 403 Forbidden' } });
  });
});
