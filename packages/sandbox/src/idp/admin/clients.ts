// Clients as Keycloak's ClientsResource and ClientResource serve them: GET clients (clientId
// filter, `search=true` for infix), POST clients, GET/PUT/DELETE clients/{uuid}, and the client's
// secret. A new client takes Keycloak's defaults and the realm's default client scopes
// (client-input.ts); a duplicate clientId is 409 "Client X already exists". The realm's own
// management client can be viewed, never configured or deleted. A client's roles are in roles.ts,
// its scope mappings in scope-mappings.ts.
import { randomUUID } from 'node:crypto';
import { can, requirePermission } from './auth.ts';
import { clientRep, isRealmClient, type ClientAccess } from './representation.ts';
import type { ClientConfig } from '../realm/model.ts';
import type { AdminCaller } from './auth.ts';
import { AdminError, ERRORS, sendCreated, sendNoContent, sendOk } from './respond.ts';
import type { AdminRequest, AdminRoute } from './request.ts';
import { page } from './user-search.ts';
import { CLIENT_REPRESENTATION } from './json-binding.ts';
import { newClient, updateClient } from './client-input.ts';
import { deleteClient, renameClient } from './realm-edit.ts';
import { pathClient } from './roles.ts';

type Obj = Record<string, unknown>;
const CLIENT = { object: CLIENT_REPRESENTATION };
const exists = (clientId: string) => new AdminError(409, { errorMessage: `Client ${clientId} already exists` });

/** ClientPermissions: the realm's own management client can be viewed, never configured. */
function clientAccess(caller: AdminCaller, c: ClientConfig): ClientAccess {
  const manage = can.manageClients(caller) && !isRealmClient(c);
  return { view: can.viewClients(caller), configure: manage, manage };
}

const canManage = (caller: AdminCaller, c: ClientConfig) => clientAccess(caller, c).manage;

async function representation(r: AdminRequest): Promise<Obj> {
  const rep = (await r.body()) as Obj | null;
  if (rep === null) throw ERRORS.badType();
  return rep;
}

/** Keycloak's service-account user for a client, made when service accounts are turned on. */
async function ensureServiceAccount(r: AdminRequest, client: ClientConfig): Promise<void> {
  if (!client.serviceAccountsEnabled) return;
  const username = `service-account-${client.clientId}`.toLowerCase();
  if (await r.ctx.store.findUserByUsername(r.rt.realm.name, username)) return;
  await r.ctx.store.createUser({
    id: randomUUID(), realm: r.rt.realm.name, username, enabled: true, emailVerified: false, attributes: {}, requiredActions: [],
    createdTimestamp: Date.now(), notBefore: 0, realmRoles: [r.rt.realm.defaultRoleName], clientRoles: {}, serviceAccountClientId: client.clientId,
  });
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
      // Without view-clients no client is visible: ClientsResource#getClients keeps a client only when
      // ClientPermissions.canView(client) holds, which without fine-grained permissions is view-clients.
      const visible = can.viewClients(r.caller) ? clients : [];
      sendOk(r.res, page(visible, r.url.searchParams).map((c) => clientRep(c, clientAccess(r.caller, c))));
    },
  },
  {
    method: 'POST',
    path: 'clients',
    body: CLIENT,
    async handle(r) {
      const rep = await representation(r);
      requirePermission(can.manageClients(r.caller) || r.caller.roles.has('create-client'));
      const client = newClient(r.rt.realm, rep);
      if (r.rt.realm.clients.some((c) => c.clientId === client.clientId)) throw exists(client.clientId);
      if (r.rt.realm.clients.some((c) => c.id === client.id)) throw new AdminError(409, { errorMessage: `Client ${client.id} already exists` });
      r.rt.realm.clients.push(client);
      await ensureServiceAccount(r, client);
      sendCreated(r.res, `${r.publicUrl}/admin/realms/${encodeURIComponent(r.rt.realm.name)}/clients/${client.id}`);
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
    method: 'PUT',
    path: 'clients/:client',
    body: CLIENT,
    async handle(r) {
      const client = pathClient(r);
      const rep = await representation(r);
      requirePermission(canManage(r.caller, client));
      const wanted = rep.clientId === undefined || rep.clientId === null ? client.clientId : String(rep.clientId);
      if (wanted !== client.clientId && r.rt.realm.clients.some((c) => c.clientId === wanted)) throw exists(wanted);
      updateClient(client, rep);
      await renameClient(r.ctx, r.rt, client, wanted);
      await ensureServiceAccount(r, client);
      sendNoContent(r.res);
    },
  },
  {
    method: 'DELETE',
    path: 'clients/:client',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(canManage(r.caller, client));
      await deleteClient(r.ctx, r.rt, client);
      sendNoContent(r.res);
    },
  },
  {
    method: 'GET',
    path: 'clients/:client/client-secret',
    async handle(r) {
      const client = pathClient(r);
      requirePermission(can.viewClients(r.caller));
      sendOk(r.res, { type: 'secret', value: client.secret });
    },
  },
];
