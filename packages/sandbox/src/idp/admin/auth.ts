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
  return { realm: rt, user, roles: new Set(roles.client[REALM_MANAGEMENT] ?? []) };
}

/** The token's user: `sub`, or for a service-account token without one, the client's service account. */
async function tokenUser(ctx: IdpContext, rt: RealmRuntime, claims: Record<string, unknown>): Promise<StoredUser | undefined> {
  if (typeof claims.sub === 'string') return ctx.store.getUser(rt.realm.name, claims.sub);
  if (typeof claims.azp !== 'string') return undefined;
  const users = await ctx.store.listUsers(rt.realm.name);
  return users.find((u) => u.serviceAccountClientId === claims.azp);
}

const has = (c: AdminCaller, ...roles: string[]) => roles.some((r) => c.roles.has(r));

/** Keycloak's permission rules without fine-grained admin permissions. */
export const can = {
  manageUsers: (c: AdminCaller) => has(c, 'manage-users'),
  viewUsers: (c: AdminCaller) => has(c, 'view-users', 'manage-users'),
  queryUsers: (c: AdminCaller) => has(c, 'query-users', 'view-users', 'manage-users'),
  impersonate: (c: AdminCaller) => has(c, 'impersonation'),
  viewRealm: (c: AdminCaller) => has(c, 'view-realm', 'manage-realm'),
  /** Realm roles: view-realm or any query role (RolePermissions.canList). */
  // view-users stands in for query-users, which Keycloak makes one of its composites.
  listRealmRoles: (c: AdminCaller) => has(c, 'view-realm', 'manage-realm', 'query-users', 'view-users', 'query-clients', 'query-realms', 'query-groups'),
  viewClients: (c: AdminCaller) => has(c, 'view-clients', 'manage-clients'),
  manageClients: (c: AdminCaller) => has(c, 'manage-clients'),
  /** query-clients lets a caller search clients, but without view rights on any, Keycloak lists none. */
  listClients: (c: AdminCaller) => has(c, 'view-clients', 'manage-clients', 'query-clients'),
  anyAdminRole: (c: AdminCaller) => c.roles.size > 0,
};

export function requirePermission(allowed: boolean): void {
  if (!allowed) throw ERRORS.forbidden();
}
