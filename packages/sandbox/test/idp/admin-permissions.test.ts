// What the admin API's listing and "available" endpoints show a caller that holds only some
// realm-management roles, through the real @keycloak/keycloak-admin-client logged in as such a
// user (password grant on admin-cli). Expected answers follow Keycloak 26's sources, fine-grained
// admin permissions off: UsersResource (list and count without view-users), RoleMapperResource and
// ClientRoleMappingsResource (mappings filtered by RolePermissions.canView, "available" by
// RolePermissions.canMapRole), ClientsResource#getClients (ClientPermissions.canView per client),
// and the composites RealmManager gives the realm-management roles (view-users holds query-users).
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { createUserWithPassword } from '../support/users.ts';

let idp: RunningIdp;
let admin: KcAdminClient;
const PASSWORD = 'Perm-Caller-2026!';
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The target user's id, the client holding a role mapped to it, and the realm-management client's uuid. */
let target: string;
let appUuid: string;
let realmMgmtUuid: string;
const REALM_ROLE = unique('perm-realm-role');
const OTHER_REALM_ROLE = unique('perm-other-role');
const APP = unique('perm-app');

async function callerWith(roles: string[]): Promise<KcAdminClient> {
  const username = unique('perm-caller');
  await createUserWithPassword(idp, PASSWORD, { username, clientRoles: roles.length ? { 'realm-management': roles } : {} });
  const c = new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
  await c.auth({ grantType: 'password', clientId: 'admin-cli', username, password: PASSWORD });
  return c;
}

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    if (err instanceof NetworkError) return err.response.status;
    throw err;
  }
}

const names = (roles: { name?: string }[]) => roles.map((r) => r.name).sort();

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
  admin = new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
  await admin.auth({ grantType: 'password', clientId: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' });
  await admin.roles.create({ name: REALM_ROLE });
  await admin.roles.create({ name: OTHER_REALM_ROLE });
  ({ id: appUuid } = await admin.clients.create({ clientId: APP, publicClient: true }));
  await admin.clients.createRole({ id: appUuid, name: 'reader' });
  await admin.clients.createRole({ id: appUuid, name: 'writer' });
  realmMgmtUuid = (await admin.clients.find({ clientId: 'realm-management' }))[0]!.id!;
  ({ id: target } = await admin.users.create({ username: unique('perm-target'), enabled: true }));
  const realmRole = await admin.roles.findOneByName({ name: REALM_ROLE });
  await admin.users.addRealmRoleMappings({ id: target, roles: [{ id: realmRole!.id!, name: REALM_ROLE }] });
  const reader = await admin.clients.findRole({ id: appUuid, roleName: 'reader' });
  await admin.users.addClientRoleMappings({ id: target, clientUniqueId: appUuid, roles: [{ id: reader!.id!, name: 'reader' }] });
});

afterAll(async () => {
  await idp?.close();
});

describe('a view-users-only caller', () => {
  let c: KcAdminClient;
  beforeAll(async () => {
    c = await callerWith(['view-users']);
  });

  it('lists, counts and searches every user (view-users holds query-users)', async () => {
    expect((await c.users.find({ max: 500 })).some((u) => u.id === target)).toBe(true);
    expect(await c.users.count()).toBeGreaterThan(1);
    expect((await c.users.find({ search: 'perm-target' })).map((u) => u.id)).toContain(target);
  });

  it('sees no realm role mappings (no view-realm) and no client mappings in the overview (no view-clients)', async () => {
    expect(await c.users.listRoleMappings({ id: target })).toEqual({});
    expect(await c.users.listRealmRoleMappings({ id: target })).toEqual([]);
    expect(await c.users.listCompositeRealmRoleMappings({ id: target })).toEqual([]);
  });

  it('sees a client\'s mappings and composites (not filtered in Keycloak), but nothing is available to map', async () => {
    expect(names(await c.users.listClientRoleMappings({ id: target, clientUniqueId: appUuid }))).toEqual(['reader']);
    expect(names(await c.users.listCompositeClientRoleMappings({ id: target, clientUniqueId: appUuid }))).toEqual(['reader']);
    expect(await c.users.listAvailableClientRoleMappings({ id: target, clientUniqueId: appUuid })).toEqual([]);
    expect(await c.users.listAvailableRealmRoleMappings({ id: target })).toEqual([]);
  });

  it('may not list clients (no view-clients or query-clients) nor change a mapping', async () => {
    expect(await status(c.clients.find())).toBe(403);
    const other = await admin.roles.findOneByName({ name: OTHER_REALM_ROLE });
    expect(await status(c.users.addRealmRoleMappings({ id: target, roles: [{ id: other!.id!, name: OTHER_REALM_ROLE }] }))).toBe(403);
  });
});

describe('a view-users and view-realm caller', () => {
  it('sees the realm mappings, still no client mappings in the overview', async () => {
    const c = await callerWith(['view-users', 'view-realm']);
    const all = await c.users.listRoleMappings({ id: target });
    expect(names(all.realmMappings ?? [])).toEqual(names([{ name: 'default-roles-sandbox' }, { name: REALM_ROLE }]));
    expect(all.clientMappings).toBeUndefined();
    expect(names(await c.users.listCompositeRealmRoleMappings({ id: target }))).toContain(REALM_ROLE);
    expect(await c.users.listAvailableRealmRoleMappings({ id: target })).toEqual([]);
  });
});

describe('a view-users and view-clients caller', () => {
  it('sees the client mappings in the overview, and lists clients', async () => {
    const c = await callerWith(['view-users', 'view-clients']);
    const all = await c.users.listRoleMappings({ id: target });
    expect(all.realmMappings).toBeUndefined();
    expect(names((all.clientMappings as Record<string, { mappings: { name?: string }[] }>)[APP]!.mappings)).toEqual(['reader']);
    expect((await c.clients.find({ clientId: APP })).map((x) => x.clientId)).toEqual([APP]);
  });
});

describe('a query-users-only caller', () => {
  it('may search, but sees no user and counts none; reading one is 403', async () => {
    const c = await callerWith(['query-users']);
    expect(await c.users.find()).toEqual([]);
    expect(await c.users.find({ search: 'perm-target' })).toEqual([]);
    expect(await c.users.count()).toBe(0);
    expect(await status(c.users.findOne({ id: target }))).toBe(403);
    expect(await status(c.users.listRoleMappings({ id: target }))).toBe(403);
  });
});

describe('client listing', () => {
  it('query-clients: allowed, but no client is visible', async () => {
    const c = await callerWith(['query-clients']);
    expect(await c.clients.find()).toEqual([]);
    expect(await c.clients.find({ clientId: APP })).toEqual([]);
  });

  it('view-clients: every client; manage-clients too', async () => {
    for (const roles of [['view-clients'], ['manage-clients']]) {
      const c = await callerWith(roles);
      expect((await c.clients.find()).map((x) => x.clientId)).toEqual(expect.arrayContaining([APP, 'realm-management']));
    }
  });

  it('view-users: 403', async () => {
    expect(await status((await callerWith(['view-users'])).clients.find())).toBe(403);
  });
});

describe('a manage-users-only caller', () => {
  let c: KcAdminClient;
  beforeAll(async () => {
    c = await callerWith(['manage-users']);
  });

  it('may map every ordinary role, and of the realm-management roles only those its rights cover', async () => {
    const realmAvailable = names(await c.users.listAvailableRealmRoleMappings({ id: target }));
    expect(realmAvailable).toContain(OTHER_REALM_ROLE);
    expect(realmAvailable).not.toContain(REALM_ROLE); // directly mapped
    expect(names(await c.users.listAvailableClientRoleMappings({ id: target, clientUniqueId: appUuid }))).toEqual(['writer']);
    expect(names(await c.users.listAvailableClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid }))).toEqual(
      ['manage-users', 'query-clients', 'query-groups', 'query-realms', 'query-users', 'view-users'],
    );
  });

  it('sees no realm or client mappings in the overview (neither view-realm nor view-clients)', async () => {
    expect(await c.users.listRoleMappings({ id: target })).toEqual({});
  });

  it('maps an ordinary role and a query role, but not view-realm (403)', async () => {
    const other = await admin.roles.findOneByName({ name: OTHER_REALM_ROLE });
    expect(await status(c.users.addRealmRoleMappings({ id: target, roles: [{ id: other!.id!, name: OTHER_REALM_ROLE }] }))).toBe(200);
    const queryUsers = await admin.clients.findRole({ id: realmMgmtUuid, roleName: 'query-users' });
    expect(await status(c.users.addClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid, roles: [{ id: queryUsers!.id!, name: 'query-users' }] }))).toBe(200);
    const viewRealm = await admin.clients.findRole({ id: realmMgmtUuid, roleName: 'view-realm' });
    expect(await status(c.users.addClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid, roles: [{ id: viewRealm!.id!, name: 'view-realm' }] }))).toBe(403);
    // Removing a role the caller may not map is refused the same way.
    await admin.users.addClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid, roles: [{ id: viewRealm!.id!, name: 'view-realm' }] });
    expect(await status(c.users.delClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid, roles: [{ id: viewRealm!.id!, name: 'view-realm' }] }))).toBe(403);
    await admin.users.delClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid, roles: [{ id: viewRealm!.id!, name: 'view-realm' }, { id: queryUsers!.id!, name: 'query-users' }] });
  });
});

describe('a realm-admin caller', () => {
  it('sees every mapping, and may map every realm-management role it holds through realm-admin', async () => {
    const all = await admin.users.listRoleMappings({ id: target });
    expect(names(all.realmMappings ?? [])).toContain(REALM_ROLE);
    expect(Object.keys(all.clientMappings ?? {})).toEqual([APP]);
    const available = names(await admin.users.listAvailableClientRoleMappings({ id: target, clientUniqueId: realmMgmtUuid }));
    expect(available).toEqual(expect.arrayContaining(['realm-admin', 'manage-clients', 'view-realm', 'impersonation']));
  });
});

describe('a caller without realm-management roles', () => {
  it('is refused every listing: 403', async () => {
    const c = await callerWith([]);
    for (const call of [c.users.find(), c.users.count(), c.clients.find(), c.users.listAvailableRealmRoleMappings({ id: target })]) {
      expect(await status(call)).toBe(403);
    }
  });
});
