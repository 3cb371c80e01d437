// Changes to the realm's clients and roles made through the admin API, applied to the running realm
// model (in memory: a restart reloads the realm file, as `kc.sh start --import-realm` would). Role
// references are by name (`realm:NAME`, `client:CLIENT_ID:NAME`), so renaming a role or a client
// rewrites every reference to it: composites, scope mappings, and the users' role mappings.
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { ClientConfig, RoleDef } from '../realm/model.ts';
import { roleByRef } from '../roles.ts';

/** The reference a role is known by in composites and scope mappings. */
export function refOf(rt: RealmRuntime, role: RoleDef): string {
  if (!role.clientRole) return `realm:${role.name}`;
  const owner = rt.realm.clients.find((c) => c.id === role.containerId);
  return `client:${owner?.clientId ?? ''}:${role.name}`;
}

/** Any role of the realm (realm or client) by its id, as Keycloak's realm.getRoleById. */
export function roleById(rt: RealmRuntime, id: unknown): RoleDef | undefined {
  if (typeof id !== 'string') return undefined;
  return rt.realm.realmRoles.find((r) => r.id === id) ?? rt.realm.clients.flatMap((c) => c.roles).find((r) => r.id === id);
}

/** The roles a list of references names, skipping any that no longer exist. */
export function rolesOf(rt: RealmRuntime, refs: string[]): RoleDef[] {
  return refs.flatMap((ref) => {
    const found = roleByRef(rt.realm, ref);
    return found ? [found.role] : [];
  });
}

function rewrite(refs: string[], from: string, to: string | undefined): string[] {
  return refs.flatMap((r) => (r === from ? (to === undefined ? [] : [to]) : [r]));
}

/** Renames (or, with `to` undefined, removes) one role reference everywhere in the realm model. */
function rewriteRef(rt: RealmRuntime, from: string, to: string | undefined): void {
  for (const role of [...rt.realm.realmRoles, ...rt.realm.clients.flatMap((c) => c.roles)]) {
    role.composites = rewrite(role.composites, from, to);
    role.composite = role.composites.length > 0;
  }
  for (const c of rt.realm.clients) c.scopeMappings = rewrite(c.scopeMappings, from, to);
}

/** Applies a user-side change to every stored user of the realm that it touches. */
async function rewriteUsers(ctx: IdpContext, rt: RealmRuntime, change: (u: { realmRoles: string[]; clientRoles: Record<string, string[]> }) => boolean): Promise<void> {
  for (const user of await ctx.store.listUsers(rt.realm.name)) {
    const next = { ...user, realmRoles: [...user.realmRoles], clientRoles: Object.fromEntries(Object.entries(user.clientRoles).map(([k, v]) => [k, [...v]])) };
    if (change(next)) await ctx.store.updateUser(next);
  }
}

export async function renameRole(ctx: IdpContext, rt: RealmRuntime, role: RoleDef, name: string): Promise<void> {
  if (role.name === name) return;
  const from = refOf(rt, role);
  const old = role.name;
  role.name = name;
  rewriteRef(rt, from, refOf(rt, role));
  const owner = role.clientRole ? rt.realm.clients.find((c) => c.id === role.containerId)?.clientId : undefined;
  await rewriteUsers(ctx, rt, (u) => {
    const list = owner === undefined ? u.realmRoles : u.clientRoles[owner];
    const i = list?.indexOf(old) ?? -1;
    if (i < 0) return false;
    list![i] = name;
    return true;
  });
}

export async function deleteRole(ctx: IdpContext, rt: RealmRuntime, role: RoleDef): Promise<void> {
  rewriteRef(rt, refOf(rt, role), undefined);
  const owner = role.clientRole ? rt.realm.clients.find((c) => c.id === role.containerId) : undefined;
  if (owner) owner.roles = owner.roles.filter((r) => r !== role);
  else rt.realm.realmRoles = rt.realm.realmRoles.filter((r) => r !== role);
  await rewriteUsers(ctx, rt, (u) => {
    if (!owner) {
      const before = u.realmRoles.length;
      u.realmRoles = u.realmRoles.filter((n) => n !== role.name);
      return u.realmRoles.length !== before;
    }
    const list = u.clientRoles[owner.clientId];
    if (!list?.includes(role.name)) return false;
    u.clientRoles[owner.clientId] = list.filter((n) => n !== role.name);
    if (!u.clientRoles[owner.clientId]!.length) delete u.clientRoles[owner.clientId];
    return true;
  });
}

export async function renameClient(ctx: IdpContext, rt: RealmRuntime, client: ClientConfig, clientId: string): Promise<void> {
  const old = client.clientId;
  if (old === clientId) return;
  const refs = client.roles.map((r) => refOf(rt, r));
  client.clientId = clientId;
  client.roles.forEach((r, i) => rewriteRef(rt, refs[i]!, refOf(rt, r)));
  await rewriteUsers(ctx, rt, (u) => {
    let changed = false;
    if (u.clientRoles[old]) {
      u.clientRoles[clientId] = u.clientRoles[old]!;
      delete u.clientRoles[old];
      changed = true;
    }
    return changed;
  });
}

export async function deleteClient(ctx: IdpContext, rt: RealmRuntime, client: ClientConfig): Promise<void> {
  for (const role of [...client.roles]) await deleteRole(ctx, rt, role);
  rt.realm.clients = rt.realm.clients.filter((c) => c !== client);
  // Its service account goes with it (ClientManager.removeClient).
  for (const user of await ctx.store.listUsers(rt.realm.name)) {
    if (user.serviceAccountClientId === client.clientId) await ctx.store.deleteUser(rt.realm.name, user.id);
  }
}
