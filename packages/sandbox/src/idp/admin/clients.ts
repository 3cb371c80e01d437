// Clients: GET clients (clientId filter, `search=true` for infix) and GET clients/{uuid}, plus a
// client's roles, which the admin client reads before mapping client roles.
import { can, requirePermission } from './auth.ts';
import { byName, clientRep, isRealmClient, roleRep, type ClientAccess } from './representation.ts';
import type { ClientConfig } from '../realm/model.ts';
import type { AdminCaller } from './auth.ts';
import { ERRORS, sendOk } from './respond.ts';
import type { AdminRequest, AdminRoute } from './request.ts';
import { page } from './user-search.ts';

function pathClient(r: AdminRequest) {
  const client = r.rt.realm.clients.find((c) => c.id === r.params.client);
  if (!client) throw ERRORS.clientNotFound();
  return client;
}

/** ClientPermissions: the realm's own management client can be viewed, never configured. */
function clientAccess(caller: AdminCaller, c: ClientConfig): ClientAccess {
  const manage = can.manageClients(caller) && !isRealmClient(c);
  return { view: can.viewClients(caller), configure: manage, manage };
}

export const clientRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: 'clients',
    async handle(r) {
      requirePermission(can.listClients(r.caller));
      const wanted = r.url.searchParams.get('clientId');
      const infix = r.url.searchParams.get('search') === 'true';
      const clients = r.rt.realm.clients.filter((c) =>
        wanted === null ? true : infix ? c.clientId.toLowerCase().includes(wanted.toLowerCase()) : c.clientId === wanted,
      );
      // Without view-clients no client is visible (ClientsResource filters by view permission).
      const visible = can.viewClients(r.caller) ? clients : [];
      sendOk(r.res, page(visible, r.url.searchParams).map((c) => clientRep(c, clientAccess(r.caller, c))));
    },
  },
  {
    method: 'GET',
    path: 'clients/:client',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(can.viewClients(r.caller));
      sendOk(r.res, clientRep(client, clientAccess(r.caller, client)));
    },
  },
  {
    method: 'GET',
    path: 'clients/:client/roles',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(can.listClients(r.caller) || can.listRealmRoles(r.caller));
      sendOk(r.res, [...client.roles].sort(byName).map((x) => roleRep(x)));
    },
  },
  {
    method: 'GET',
    path: 'clients/:client/roles/:name',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(can.listClients(r.caller) || can.listRealmRoles(r.caller));
      const role = client.roles.find((x) => x.name === r.params.name);
      if (!role) throw ERRORS.roleNotFound();
      sendOk(r.res, roleRep(role, true));
    },
  },
];
