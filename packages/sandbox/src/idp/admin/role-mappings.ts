// A user's role mappings (Keycloak's RoleMapperResource and ClientRoleMappingsResource): read with
// view-users, change with manage-users. Lists are sorted by role name, as Keycloak's JPA store
// returns them. "available" leaves out only directly mapped roles, so roles reached through a
// composite stay assignable. What a caller sees follows its realm-management roles, as in
// Keycloak 26: the all-mappings, realm and realm/composite listings keep only roles it may view
// (RolePermissions.canView: view-realm for realm roles, view-clients for client roles); both
// "available" listings keep only roles it may map (RolePermissions.canMapRole), so a view-users-only
// caller gets none; client-level listings and client composites are not filtered. Each role a
// POST or DELETE names must be mappable by the caller (requireMapRole), or 403.
import type { ClientConfig, RoleDef } from '../realm/model.ts';
import type { StoredUser } from '../store/types.ts';
import { effectiveRoles } from '../roles.ts';
import { can, canMapRole, canViewRole, requirePermission, type RoleContainerRef } from './auth.ts';
import { byName, roleRep } from './representation.ts';
import { AdminError, ERRORS, sendNoContent, sendOk } from './respond.ts';
import { targetUser, type AdminRequest, type AdminRoute } from './request.ts';
import { ROLE_REPRESENTATION } from './json-binding.ts';

const ROLE_LIST = { list: ROLE_REPRESENTATION };
const roleNotFound = () => new AdminError(404, { error: 'Role not found' });

/** Where a mapping lives: the realm's roles, or one client's. */
interface Container {
  roles: RoleDef[];
  direct(u: StoredUser): string[];
  effective(u: StoredUser): string[];
  write(u: StoredUser, names: string[]): StoredUser;
  /** The container for the permission checks. */
  ref: RoleContainerRef;
  /** Whether the listings of this container are filtered by RolePermissions.canView (realm roles only). */
  viewFiltered: boolean;
}

function realmContainer(r: AdminRequest): Container {
  const realm = r.rt.realm;
  return {
    roles: realm.realmRoles,
    direct: (u) => u.realmRoles,
    effective: (u) => effectiveRoles(realm, u).realm,
    write: (u, names) => ({ ...u, realmRoles: names }),
    ref: { realm: true },
    viewFiltered: true,
  };
}

function clientContainer(r: AdminRequest): Container {
  const client: ClientConfig | undefined = r.rt.realm.clients.find((c) => c.id === r.params.client);
  if (!client) throw ERRORS.clientOfMappingNotFound();
  return {
    roles: client.roles,
    direct: (u) => u.clientRoles[client.clientId] ?? [],
    effective: (u) => effectiveRoles(r.rt.realm, u).client[client.clientId] ?? [],
    write: (u, names) => {
      const clientRoles = { ...u.clientRoles, [client.clientId]: names };
      if (!names.length) delete clientRoles[client.clientId];
      return { ...u, clientRoles };
    },
    ref: { clientId: client.clientId },
    viewFiltered: false,
  };
}

const reps = (roles: RoleDef[], full = false) => [...roles].sort(byName).map((x) => roleRep(x, full));
/** Composite listings take briefRepresentation (default true); false adds the roles' attributes. */
const fullWanted = (r: AdminRequest) => r.url.searchParams.get('briefRepresentation') === 'false';
const named = (c: Container, names: string[]) => c.roles.filter((x) => names.includes(x.name));

/** The roles a POST/DELETE body names; Keycloak finds each by name and insists the id matches. */
async function bodyRoles(r: AdminRequest, c: Container): Promise<RoleDef[] | undefined> {
  const body = (await r.body()) as unknown[] | null;
  if (body === null) return undefined;
  return body.map((rep: unknown) => {
    const { id, name } = (rep ?? {}) as { id?: unknown; name?: unknown };
    const role = c.roles.find((x) => x.name === name);
    if (!role || role.id !== id) throw roleNotFound();
    return role;
  });
}

function mappingRoutes(prefix: string, container: (r: AdminRequest) => Container): AdminRoute[] {
  const view = async (r: AdminRequest) => {
    const user = await targetUser(r);
    requirePermission(can.viewUsers(r.caller));
    return { user, c: container(r) };
  };
  const change = async (r: AdminRequest, apply: (current: string[], roles: RoleDef[] | undefined) => string[]) => {
    const user = await targetUser(r);
    requirePermission(can.manageUsers(r.caller));
    const c = container(r);
    const roles = await bodyRoles(r, c);
    const touched = roles ?? named(c, c.direct(user));
    if (touched.some((x) => !canMapRole(r.caller, c.ref, x.name))) throw ERRORS.forbidden();
    await r.ctx.store.updateUser(c.write(user, apply(c.direct(user), roles)));
    sendNoContent(r.res);
  };
  const viewable = (r: AdminRequest, c: Container, roles: RoleDef[]) => (c.viewFiltered && !canViewRole(r.caller, c.ref) ? [] : roles);
  return [
    { method: 'GET', path: prefix, handle: async (r) => { const { user, c } = await view(r); sendOk(r.res, reps(viewable(r, c, named(c, c.direct(user))))); } },
    { method: 'GET', path: `${prefix}/composite`, handle: async (r) => { const { user, c } = await view(r); sendOk(r.res, reps(viewable(r, c, named(c, c.effective(user))), fullWanted(r))); } },
    {
      method: 'GET',
      path: `${prefix}/available`,
      handle: async (r) => {
        const { user, c } = await view(r);
        const direct = new Set(c.direct(user));
        sendOk(r.res, reps(c.roles.filter((x) => canMapRole(r.caller, c.ref, x.name) && !direct.has(x.name))));
      },
    },
    { method: 'POST', path: prefix, body: ROLE_LIST, handle: (r) => change(r, (cur, roles) => [...new Set([...cur, ...(roles ?? []).map((x) => x.name)])]) },
    // No body removes every mapping of the container, as in Keycloak.
    { method: 'DELETE', path: prefix, body: ROLE_LIST, handle: (r) => change(r, (cur, roles) => (roles ? cur.filter((n) => !roles.some((x) => x.name === n)) : [])) },
  ];
}

export const roleMappingRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: 'users/:id/role-mappings',
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.viewUsers(r.caller));
      const realm = r.rt.realm;
      const body: Record<string, unknown> = {};
      // RoleMapperResource#getRoleMappings: only the mappings the caller may view (RolePermissions.canView).
      const realmMappings = canViewRole(r.caller, { realm: true }) ? realm.realmRoles.filter((x) => user.realmRoles.includes(x.name)) : [];
      if (realmMappings.length) body.realmMappings = reps(realmMappings);
      const clientMappings: Record<string, unknown> = {};
      for (const [clientId, names] of Object.entries(user.clientRoles)) {
        if (!canViewRole(r.caller, { clientId })) continue;
        const client = realm.clients.find((c) => c.clientId === clientId);
        const mappings = client?.roles.filter((x) => names.includes(x.name)) ?? [];
        if (client && mappings.length) clientMappings[clientId] = { id: client.id, client: clientId, mappings: reps(mappings) };
      }
      if (Object.keys(clientMappings).length) body.clientMappings = clientMappings;
      sendOk(r.res, body);
    },
  },
  ...mappingRoutes('users/:id/role-mappings/realm', realmContainer),
  ...mappingRoutes('users/:id/role-mappings/clients/:client', clientContainer),
];
