// A client's scope mappings as Keycloak's ScopeMappedResource and ScopeMappedClientResource serve
// them (clients/{id}/scope-mappings): the realm roles and other clients' roles a client with "Full
// scope allowed" off may put in its tokens (roles.ts tokenRoles reads them). Read with view rights
// on clients, changed with manage rights. Realm roles are named by id, client roles by name, as
// Keycloak looks them up; an unknown one is 404 "Role not found". "available" and "composite" ask
// ClientModel.hasScope, so a full-scope client has every role in scope and none available.
import type { ClientConfig, RoleDef } from '../realm/model.ts';
import { roleByRef } from '../roles.ts';
import { can, requirePermission } from './auth.ts';
import { byName, roleRep } from './representation.ts';
import { AdminError, sendNoContent, sendOk } from './respond.ts';
import type { AdminRequest, AdminRoute } from './request.ts';
import { ROLE_REPRESENTATION } from './json-binding.ts';
import { refOf, roleById } from './realm-edit.ts';
import { pathClient } from './roles.ts';
import { isRealmClient } from './representation.ts';

type Obj = Record<string, unknown>;
const ROLE_LIST = { list: ROLE_REPRESENTATION };
const roleNotFound = () => new AdminError(404, { error: 'Role not found' });
const containerNotFound = () => new AdminError(404, { error: 'Role container not found' });

/** ClientModel.hasScope: full scope, or a direct scope mapping or own role reaching the role through composites. */
function hasScope(r: AdminRequest, client: ClientConfig, role: RoleDef): boolean {
  if (client.fullScopeAllowed) return true;
  const target = refOf(r.rt, role);
  const seen = new Set<string>();
  const queue = [...client.scopeMappings, ...client.roles.map((x) => refOf(r.rt, x))];
  while (queue.length) {
    const ref = queue.shift()!;
    if (ref === target) return true;
    if (seen.has(ref)) continue;
    seen.add(ref);
    queue.push(...(roleByRef(r.rt.realm, ref)?.role.composites ?? []));
  }
  return false;
}

interface Side {
  /** The roles this side maps from: the realm's, or one other client's. */
  roles: RoleDef[];
  /** Finds a role of a POST/DELETE body on this side. */
  find(rep: Obj): RoleDef | undefined;
}

function realmSide(r: AdminRequest): Side {
  return { roles: r.rt.realm.realmRoles, find: (rep) => { const x = roleById(r.rt, rep.id); return x && !x.clientRole ? x : undefined; } };
}

function clientSide(r: AdminRequest): Side {
  const other = r.rt.realm.clients.find((c) => c.id === r.params.other);
  if (!other) throw containerNotFound();
  return { roles: other.roles, find: (rep) => other.roles.find((x) => x.name === rep.name) };
}

const reps = (roles: RoleDef[], full = false) => [...roles].sort(byName).map((x) => roleRep(x, full));

function sideRoutes(prefix: string, side: (r: AdminRequest) => Side): AdminRoute[] {
  const view = (r: AdminRequest) => {
    const client = pathClient(r);
    requirePermission(can.viewClients(r.caller));
    return { client, s: side(r) };
  };
  const change = async (r: AdminRequest, apply: (client: ClientConfig, s: Side, refs: string[] | undefined) => string[]) => {
    const client = pathClient(r);
    const s = side(r);
    const body = (await r.body()) as (Obj | null)[] | null;
    requirePermission(can.manageClients(r.caller) && !isRealmClient(client));
    const refs = body?.map((rep) => {
      const role = rep && s.find(rep);
      if (!role) throw roleNotFound();
      return refOf(r.rt, role);
    });
    client.scopeMappings = apply(client, s, refs);
    sendNoContent(r.res);
  };
  const mine = (r: AdminRequest, client: ClientConfig, s: Side) => s.roles.filter((x) => client.scopeMappings.includes(refOf(r.rt, x)));
  return [
    { method: 'GET', path: prefix, handle: async (r) => { const { client, s } = view(r); sendOk(r.res, reps(mine(r, client, s))); } },
    { method: 'GET', path: `${prefix}/available`, handle: async (r) => { const { client, s } = view(r); sendOk(r.res, reps(s.roles.filter((x) => !hasScope(r, client, x)))); } },
    {
      method: 'GET',
      path: `${prefix}/composite`,
      handle: async (r) => {
        const { client, s } = view(r);
        // briefRepresentation defaults to true; false adds the roles' attributes.
        sendOk(r.res, reps(s.roles.filter((x) => hasScope(r, client, x)), r.url.searchParams.get('briefRepresentation') === 'false'));
      },
    },
    { method: 'POST', path: prefix, body: ROLE_LIST, handle: (r) => change(r, (c, _s, refs) => [...new Set([...c.scopeMappings, ...(refs ?? [])])]) },
    {
      method: 'DELETE',
      path: prefix,
      body: ROLE_LIST,
      // No body removes every mapping of this side, as Keycloak's deleteRealmScopeMappings does.
      handle: (r) => change(r, (c, s, refs) => {
        const drop = new Set(refs ?? s.roles.map((x) => refOf(r.rt, x)));
        return c.scopeMappings.filter((x) => !drop.has(x));
      }),
    },
  ];
}

export const scopeMappingRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: 'clients/:client/scope-mappings',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(can.viewClients(r.caller));
      const body: Record<string, unknown> = {};
      const realmMappings = r.rt.realm.realmRoles.filter((x) => client.scopeMappings.includes(refOf(r.rt, x)));
      if (realmMappings.length) body.realmMappings = reps(realmMappings);
      const clientMappings: Record<string, unknown> = {};
      for (const other of r.rt.realm.clients) {
        const mappings = other.roles.filter((x) => client.scopeMappings.includes(refOf(r.rt, x)));
        if (mappings.length) clientMappings[other.clientId] = { id: other.id, client: other.clientId, mappings: reps(mappings) };
      }
      if (Object.keys(clientMappings).length) body.clientMappings = clientMappings;
      sendOk(r.res, body);
    },
  },
  ...sideRoutes('clients/:client/scope-mappings/realm', realmSide),
  ...sideRoutes('clients/:client/scope-mappings/clients/:other', clientSide),
];
