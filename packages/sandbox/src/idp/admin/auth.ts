// Who is calling the admin API, and what they may do. As Keycloak's AdminRoot: a Bearer access
// token signed by the key of the realm named in its `iss`, unexpired, of type Bearer, for a user
// (or service account) that still exists and is enabled, from a session that is still live. Permissions come from that user's current
// realm-management role mappings, composites expanded, not from the token's claims: Keycloak's
// AdminAuth asks the user model, so a role removed from a user takes effect at once; and only those
// the token's client has in scope.
import type { IncomingMessage } from 'node:http';
import { decodeJwt, jwtVerify } from 'jose';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { StoredUser } from '../store/types.ts';
import { effectiveRoles, tokenRoles } from '../roles.ts';
import { findSessionBySid } from '../oidc/sessions.ts';
import { isRevokedAccessToken } from '../oidc/token-state.ts';
import { ERRORS } from './respond.ts';

export interface AdminCaller {
  /** The realm the token was issued by; Keycloak lets it administer that realm only (or any, from master). */
  realm: RealmRuntime;
  user: StoredUser;
  /** The caller's effective realm-management client roles. */
  roles: Set<string>;
}

const REALM_MANAGEMENT = 'realm-management';

export async function authenticate(ctx: IdpContext, publicUrl: string, req: IncomingMessage): Promise<AdminCaller> {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw ERRORS.unauthorized();
  const token = m[1]!;
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw ERRORS.unauthorized();
  }
  const prefix = `${publicUrl}/realms/`;
  const rt = issuer?.startsWith(prefix) ? ctx.realms.get(decodeURIComponent(issuer.slice(prefix.length))) : undefined;
  if (!rt) throw ERRORS.unauthorized();
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, rt.keys.verifyKey, { issuer, algorithms: ['RS256'] }));
  } catch {
    throw ERRORS.unauthorized();
  }
  if (claims.typ !== 'Bearer' || (await isRevokedAccessToken(ctx, claims.jti))) throw ERRORS.unauthorized();
  const user = await tokenUser(ctx, rt, claims);
  if (!user?.enabled) throw ERRORS.unauthorized();
  if (typeof claims.iat === 'number' && user.notBefore > claims.iat) throw ERRORS.unauthorized();
  // A token from a login lives only as long as its session: after a logout it is refused, as
  // Keycloak's AppAuthManager does. Service-account tokens carry no session.
  if (typeof claims.sid === 'string' && !(await findSessionBySid(ctx.store, user.id, claims.sid))) throw ERRORS.unauthorized();
  // AdminAuth.hasAppRole: the user must hold the role and the token's client must have it in scope,
  // so a client with "Full scope allowed" off administers only as far as its scope mappings reach.
  const client = rt.realm.clients.find((c) => c.clientId === claims.azp);
  const roles = client ? tokenRoles(rt.realm, client, user) : effectiveRoles(rt.realm, user);
  return { realm: rt, user, roles: withImpliedRoles(roles.client[REALM_MANAGEMENT] ?? []) };
}

/** Keycloak's AdminRoles.ALL_REALM_ROLES plus impersonation and realm-admin: the realm-management roles. */
export const REALM_MANAGEMENT_ROLES = [
  'create-client', 'view-realm', 'view-users', 'view-clients', 'view-events', 'view-identity-providers', 'view-authorization', 'view-organizations',
  'manage-realm', 'manage-users', 'manage-clients', 'manage-events', 'manage-identity-providers', 'manage-authorization', 'manage-organizations',
  'query-users', 'query-clients', 'query-realms', 'query-groups', 'query-organizations', 'impersonation', 'realm-admin',
];
/** AdminRoles.ALL_ROLES: the realm-management roles and master's realm roles `admin` and `create-realm`. */
const ALL_ADMIN_ROLES = new Set([...REALM_MANAGEMENT_ROLES, 'admin', 'create-realm']);
const QUERY_ROLES = ['query-users', 'query-clients', 'query-realms', 'query-groups', 'query-organizations'];

/**
 * The composites Keycloak gives the realm-management roles when it creates a realm
 * (RealmManager.setupRealmAdminManagement and addQueryCompositeRoles): realm-admin holds every one,
 * view-users holds query-users and query-groups, view-clients holds query-clients. A realm file that
 * declares them flat still grants what Keycloak's would.
 */
const IMPLIED: Record<string, string[]> = {
  'realm-admin': REALM_MANAGEMENT_ROLES,
  'view-users': ['query-users', 'query-groups'],
  'view-clients': ['query-clients'],
};

export function withImpliedRoles(names: string[]): Set<string> {
  const out = new Set<string>();
  const queue = [...names];
  while (queue.length) {
    const n = queue.shift()!;
    if (out.has(n)) continue;
    out.add(n);
    queue.push(...(IMPLIED[n] ?? []));
  }
  return out;
}

/** The token's user: `sub`, or for a service-account token without one, the client's service account. */
async function tokenUser(ctx: IdpContext, rt: RealmRuntime, claims: Record<string, unknown>): Promise<StoredUser | undefined> {
  if (typeof claims.sub === 'string') return ctx.store.getUser(rt.realm.name, claims.sub);
  if (typeof claims.azp !== 'string') return undefined;
  const users = await ctx.store.listUsers(rt.realm.name);
  return users.find((u) => u.serviceAccountClientId === claims.azp);
}

const has = (c: AdminCaller, ...roles: string[]) => roles.some((r) => c.roles.has(r));

/**
 * Keycloak's permission rules with fine-grained admin permissions off (the default): the role
 * checks of fgap/UserPermissions (canManage, canView, canQuery), fgap/RealmPermissions
 * (canViewRealm, events, identity providers), fgap/ClientPermissions (canView, canList, canManage)
 * and fgap/RolePermissions (canList). Caller roles include the implied composites (withImpliedRoles).
 */
export const can = {
  manageUsers: (c: AdminCaller) => has(c, 'manage-users'),
  viewUsers: (c: AdminCaller) => has(c, 'view-users', 'manage-users'),
  queryUsers: (c: AdminCaller) => has(c, 'query-users', 'view-users', 'manage-users'),
  impersonate: (c: AdminCaller) => has(c, 'impersonation'),
  manageRealm: (c: AdminCaller) => has(c, 'manage-realm'),
  viewRealm: (c: AdminCaller) => has(c, 'view-realm', 'manage-realm'),
  /** Realm roles: view-realm or any query role (RolePermissions.canList). */
  listRealmRoles: (c: AdminCaller) => has(c, 'view-realm', 'manage-realm', ...QUERY_ROLES),
  viewClients: (c: AdminCaller) => has(c, 'view-clients', 'manage-clients'),
  manageClients: (c: AdminCaller) => has(c, 'manage-clients'),
  /** query-clients lets a caller search clients, but without view rights on any, Keycloak lists none. */
  listClients: (c: AdminCaller) => has(c, 'view-clients', 'manage-clients', 'query-clients'),
  anyAdminRole: (c: AdminCaller) => c.roles.size > 0,
};

/** Where a role lives, for the role checks: the realm, or a client by its clientId. */
export type RoleContainerRef = { realm: true } | { clientId: string };

/**
 * RolePermissions.canView(RoleModel): a realm role with view-realm, a client role with view rights
 * on its client. The role-mapping listings (RoleMapperResource#getRoleMappings, realm,
 * realm/composite) leave out the mappings a caller may not view.
 */
export function canViewRole(c: AdminCaller, container: RoleContainerRef): boolean {
  return 'realm' in container ? can.viewRealm(c) : can.viewClients(c);
}

/**
 * RolePermissions.canMapRole: without fine-grained permissions only a manage-users caller maps
 * roles, and then checkAdminRoles: an admin role (AdminRoles.ALL_ROLES) of the realm's
 * realm-management client only when the caller holds it or the rights it stands for; master's
 * admin roles never. The "available" listings (RoleMapperResource#getAvailableRealmRoleMappings,
 * ClientRoleMappingsResource#getAvailableClientRoleMappings) filter on it, and every mapping
 * change requires it (requireMapRole).
 */
export function canMapRole(c: AdminCaller, container: RoleContainerRef, name: string): boolean {
  if (!can.manageUsers(c)) return false;
  if (!ALL_ADMIN_ROLES.has(name)) return true;
  if ('realm' in container) return c.realm.realm.name !== 'master';
  if (container.clientId !== REALM_MANAGEMENT) {
    return !(c.realm.realm.name === 'master' && container.clientId.endsWith('-realm'));
  }
  if (c.roles.has(name)) return true;
  const rights: Record<string, () => boolean> = {
    'manage-clients': () => can.manageClients(c),
    'create-client': () => can.manageClients(c),
    'view-clients': () => can.viewClients(c),
    'query-realms': () => true,
    'query-clients': () => true,
    'query-users': () => true,
    'query-groups': () => true,
    'manage-events': () => has(c, 'manage-events'),
    'view-events': () => has(c, 'view-events', 'manage-events'),
    'manage-users': () => can.manageUsers(c),
    'view-users': () => can.viewUsers(c),
    'manage-identity-providers': () => has(c, 'manage-identity-providers'),
    'view-identity-providers': () => has(c, 'view-identity-providers', 'manage-identity-providers'),
    'manage-realm': () => can.manageRealm(c),
    'view-realm': () => can.viewRealm(c),
    impersonation: () => can.impersonate(c),
  };
  return rights[name]?.() ?? false;
}

export function requirePermission(allowed: boolean): void {
  if (!allowed) throw ERRORS.forbidden();
}
