// Roles as Keycloak's RoleContainerResource (realm roles under roles/, a client's under
// clients/{id}/roles/) and RoleByIdResource (roles-by-id/{id}) serve them: list, create, read,
// update (name, description, attributes), delete, and the composites of a role. One container
// abstraction serves both kinds, so realm and client roles follow the same rules and texts:
// a duplicate is 409 "Role with name X already exists", a nameless one 400, an unknown one 404
// "Could not find role", and a composite named by an unknown id 404 "Could not find composite role".
import { randomUUID } from 'node:crypto';
import type { ClientConfig, RoleDef } from '../realm/model.ts';
import { can, requirePermission, type AdminCaller } from './auth.ts';
import { byName, roleRep } from './representation.ts';
import { AdminError, ERRORS, sendCreated, sendNoContent, sendOk } from './respond.ts';
import type { AdminRequest, AdminRoute } from './request.ts';
import { page } from './user-search.ts';
import { ROLE_REPRESENTATION } from './json-binding.ts';
import { deleteRole, refOf, renameRole, roleById, rolesOf } from './realm-edit.ts';

type Obj = Record<string, unknown>;
const ROLE = { object: ROLE_REPRESENTATION };
const ROLE_LIST = { list: ROLE_REPRESENTATION };

const badRequest = () => new AdminError(400, { error: 'HTTP 400 Bad Request' });
const compositeNotFound = () => new AdminError(404, { error: 'Could not find composite role' });

interface Container {
  roles: RoleDef[];
  add(role: RoleDef): void;
  containerId: string;
  clientRole: boolean;
  /** RolePermissions: realm roles are managed with manage-realm, a client's with manage-clients. */
  canManage(c: AdminCaller): boolean;
  canView(c: AdminCaller): boolean;
}

export function pathClient(r: AdminRequest): ClientConfig {
  const client = r.rt.realm.clients.find((c) => c.id === r.params.client);
  // ClientsResource.getClient: an unknown id is 404 only for callers that may list clients.
  if (!client) throw can.listClients(r.caller) ? ERRORS.clientNotFound() : ERRORS.forbidden();
  return client;
}

const realmContainer = (r: AdminRequest): Container => ({
  roles: r.rt.realm.realmRoles,
  add: (role) => void r.rt.realm.realmRoles.push(role),
  containerId: r.rt.realm.id,
  clientRole: false,
  canManage: (c) => has(c, 'manage-realm'),
  canView: can.listRealmRoles,
});

const clientContainer = (r: AdminRequest): Container => {
  const client = pathClient(r);
  return { roles: client.roles, add: (role) => void client.roles.push(role), containerId: client.id, clientRole: true, canManage: can.manageClients, canView };
};

const has = (c: AdminCaller, role: string) => c.roles.has(role);
const canView = (c: AdminCaller) => can.listRealmRoles(c) || can.listClients(c);

function named(c: Container, name: string | undefined): RoleDef {
  const role = c.roles.find((x) => x.name === name);
  if (!role) throw ERRORS.roleNotFound();
  return role;
}

/** The role a roles-by-id path names; its manage permission follows its container. */
function byIdTarget(r: AdminRequest): { role: RoleDef; canManage: (c: AdminCaller) => boolean } {
  const role = roleById(r.rt, r.params.id);
  if (!role) throw ERRORS.roleNotFound();
  return { role, canManage: role.clientRole ? can.manageClients : (c) => has(c, 'manage-realm') };
}

async function update(r: AdminRequest, role: RoleDef, siblings: RoleDef[]): Promise<void> {
  const rep = (await r.body()) as Obj | null;
  if (rep === null) throw badRequest();
  const name = rep.name === undefined || rep.name === null ? undefined : String(rep.name);
  if (name !== undefined && name !== role.name && siblings.some((x) => x.name === name)) throw new AdminError(409, { errorMessage: `Role with name ${name} already exists` });
  if (rep.description !== undefined) role.description = rep.description === null ? undefined : String(rep.description);
  if (rep.attributes !== undefined && rep.attributes !== null) role.attributes = stringLists(rep.attributes as Obj);
  if (name !== undefined) await renameRole(r.ctx, r.rt, role, name);
}

function stringLists(raw: Obj): Record<string, string[]> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? [] : (Array.isArray(v) ? v : [v]).map(String)]));
}

/** The composites a POST/DELETE names, each by id (RoleResource.addComposites / deleteComposites). */
async function compositeRoles(r: AdminRequest): Promise<RoleDef[]> {
  const list = (await r.body()) as unknown[] | null;
  if (list === null) throw badRequest();
  return list.map((rep) => {
    const role = roleById(r.rt, (rep as Obj | null)?.id);
    if (!role) throw compositeNotFound();
    return role;
  });
}

type Target = { role: RoleDef; canManage: (c: AdminCaller) => boolean };

function compositeRoutes(prefix: string, target: (r: AdminRequest) => Target | Promise<Target>): AdminRoute[] {
  const list = async (r: AdminRequest, filter: (x: RoleDef) => boolean) => {
    const { role } = await target(r);
    requirePermission(canView(r.caller));
    sendOk(r.res, rolesOf(r.rt, role.composites).filter(filter).sort(byName).map((x) => roleRep(x)));
  };
  const change = async (r: AdminRequest, apply: (role: RoleDef, refs: string[]) => void) => {
    await r.body();
    const { role, canManage } = await target(r);
    const roles = await compositeRoles(r);
    requirePermission(canManage(r.caller));
    apply(role, roles.map((x) => refOf(r.rt, x)));
    role.composite = role.composites.length > 0;
    sendNoContent(r.res);
  };
  return [
    { method: 'GET', path: `${prefix}/composites`, handle: (r) => list(r, () => true) },
    { method: 'GET', path: `${prefix}/composites/realm`, handle: (r) => list(r, (x) => !x.clientRole) },
    {
      method: 'GET',
      path: `${prefix}/composites/clients/:other`,
      handle: async (r) => {
        const other = r.rt.realm.clients.find((c) => c.id === r.params.other);
        if (!other) throw ERRORS.clientNotFound();
        await list(r, (x) => x.clientRole && x.containerId === other.id);
      },
    },
    { method: 'POST', path: `${prefix}/composites`, body: ROLE_LIST, handle: (r) => change(r, (role, refs) => void (role.composites = [...new Set([...role.composites, ...refs])])) },
    { method: 'DELETE', path: `${prefix}/composites`, body: ROLE_LIST, handle: (r) => change(r, (role, refs) => void (role.composites = role.composites.filter((x) => !refs.includes(x)))) },
  ];
}

function containerRoutes(prefix: string, container: (r: AdminRequest) => Container): AdminRoute[] {
  // RoleContainerResource's methods take the role name as a parameter: the body binds first (400),
  // then the caller's permission (403), then the role is looked up (404).
  const one = async (r: AdminRequest, allowed: (c: Container) => (caller: AdminCaller) => boolean) => {
    await r.body();
    const c = container(r);
    requirePermission(allowed(c)(r.caller));
    return { c, role: named(c, r.params.name) };
  };
  return [
    {
      method: 'GET',
      path: prefix,
      async handle(r) {
        const c = container(r);
        requirePermission(c.canView(r.caller));
        const search = r.url.searchParams.get('search')?.toLowerCase();
        const roles = c.roles.filter((x) => !search || x.name.toLowerCase().includes(search)).sort(byName);
        // briefRepresentation defaults to true for role lists; false adds `attributes`.
        const full = r.url.searchParams.get('briefRepresentation') === 'false';
        sendOk(r.res, page(roles, r.url.searchParams).map((x) => roleRep(x, full)));
      },
    },
    {
      method: 'POST',
      path: prefix,
      body: ROLE,
      async handle(r) {
        const c = container(r);
        const rep = (await r.body()) as Obj | null;
        requirePermission(c.canManage(r.caller));
        if (rep === null || rep.name === undefined || rep.name === null) throw badRequest();
        const name = String(rep.name);
        if (c.roles.some((x) => x.name === name)) throw new AdminError(409, { errorMessage: `Role with name ${name} already exists` });
        const role: RoleDef = {
          id: randomUUID(),
          name,
          description: rep.description === undefined || rep.description === null ? undefined : String(rep.description),
          composite: false,
          clientRole: c.clientRole,
          containerId: c.containerId,
          composites: [],
          attributes: rep.attributes ? stringLists(rep.attributes as Obj) : {},
        };
        c.add(role);
        // Composites named in the representation are added by name (RoleContainerResource.createRole).
        const comp = (rep.composites ?? {}) as { realm?: unknown; client?: unknown };
        const realmNames = Array.isArray(comp.realm) ? comp.realm.map(String) : [];
        const clientNames = comp.client && typeof comp.client === 'object' ? (comp.client as Record<string, unknown>) : {};
        for (const n of realmNames) {
          if (!r.rt.realm.realmRoles.some((x) => x.name === n)) throw compositeNotFound();
          role.composites.push(`realm:${n}`);
        }
        for (const [cid, names] of Object.entries(clientNames)) {
          const owner = r.rt.realm.clients.find((x) => x.clientId === cid);
          for (const n of (Array.isArray(names) ? names : [names]).map(String)) {
            if (!owner?.roles.some((x) => x.name === n)) throw compositeNotFound();
            role.composites.push(`client:${cid}:${n}`);
          }
        }
        role.composite = role.composites.length > 0;
        sendCreated(r.res, `${r.publicUrl}${r.url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(name)}`);
      },
    },
    {
      method: 'GET',
      path: `${prefix}/:name`,
      async handle(r) {
        const { role } = await one(r, (c) => c.canView);
        sendOk(r.res, roleRep(role, true));
      },
    },
    {
      method: 'PUT',
      path: `${prefix}/:name`,
      body: ROLE,
      async handle(r) {
        const { c, role } = await one(r, (x) => x.canManage);
        await update(r, role, c.roles);
        sendNoContent(r.res);
      },
    },
    {
      method: 'DELETE',
      path: `${prefix}/:name`,
      async handle(r) {
        const { c, role } = await one(r, (x) => x.canManage);
        // The realm's default role cannot go (RoleContainerResource.deleteRole).
        if (!c.clientRole && role.name === r.rt.realm.defaultRoleName) throw new AdminError(400, { error: 'You cannot delete a default realm role' });
        await deleteRole(r.ctx, r.rt, role);
        sendNoContent(r.res);
      },
    },
    ...compositeRoutes(`${prefix}/:name`, async (r) => {
      const { c, role } = await one(r, (x) => x.canView);
      return { role, canManage: c.canManage };
    }),
  ];
}

export const roleRoutes: AdminRoute[] = [
  ...containerRoutes('roles', realmContainer),
  ...containerRoutes('clients/:client/roles', clientContainer),
  {
    method: 'GET',
    path: 'roles-by-id/:id',
    async handle(r) {
      const { role } = byIdTarget(r);
      requirePermission(canView(r.caller));
      sendOk(r.res, roleRep(role, true));
    },
  },
  {
    method: 'PUT',
    path: 'roles-by-id/:id',
    body: ROLE,
    async handle(r) {
      await r.body();
      const { role, canManage } = byIdTarget(r);
      requirePermission(canManage(r.caller));
      const owner = role.clientRole ? r.rt.realm.clients.find((c) => c.id === role.containerId)?.roles ?? [] : r.rt.realm.realmRoles;
      await update(r, role, owner);
      sendNoContent(r.res);
    },
  },
  {
    method: 'DELETE',
    path: 'roles-by-id/:id',
    async handle(r) {
      const { role, canManage } = byIdTarget(r);
      requirePermission(canManage(r.caller));
      await deleteRole(r.ctx, r.rt, role);
      sendNoContent(r.res);
    },
  },
  ...compositeRoutes('roles-by-id/:id', byIdTarget),
];
