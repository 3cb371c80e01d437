// Whether a token this realm issued is still good, as Keycloak decides it for introspection,
// revocation, userinfo and logout: signature, issuer and expiry; not revoked; and for user tokens,
// the user still enabled and the session (Keycloak's user session with this client's client
// session) still alive. Access tokens are RS256 JWTs; refresh tokens are our HS512 wrappers around
// oidc-provider's opaque ones (refresh-token.ts).
import { jwtVerify, type JWTPayload } from 'jose';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { ClientConfig } from '../realm/model.ts';
import type { OidcPayload, StoredUser } from '../store/types.ts';
import { findSessionBySid } from './sessions.ts';
import { verifyRefreshToken } from './refresh-token.ts';

/** Keycloak's single-use store entry for a revoked access token, kept until the token expires. */
const REVOKED = 'RevokedAccessToken';

type Claims = JWTPayload & Record<string, unknown>;

export interface LiveToken {
  claims: Claims;
  client: ClientConfig;
  user: StoredUser;
  /** The oidc-provider session behind a login token; absent for service-account tokens. */
  session?: { id: string; payload: OidcPayload };
}

export async function verifiedAccessClaims(rt: RealmRuntime, issuer: string, token: string): Promise<Claims | undefined> {
  try {
    const { payload } = await jwtVerify(token, rt.keys.verifyKey, { issuer, algorithms: ['RS256'] });
    return payload.typ === 'Bearer' ? payload : undefined;
  } catch {
    return undefined;
  }
}

export function verifiedRefreshClaims(rt: RealmRuntime, issuer: string, token: string): Promise<Claims | undefined> {
  return verifyRefreshToken(token, rt.keys.refreshSecret, { issuer });
}

/** An access token that verifies, is not revoked, and whose user and session are still live. */
export async function liveAccessToken(ctx: IdpContext, rt: RealmRuntime, issuer: string, token: string): Promise<LiveToken | undefined> {
  const claims = await verifiedAccessClaims(rt, issuer, token);
  return claims && liveToken(ctx, rt, claims);
}

/** A refresh token that verifies and whose oidc-provider record and session are still live. */
export async function liveRefreshToken(ctx: IdpContext, rt: RealmRuntime, issuer: string, token: string): Promise<LiveToken | undefined> {
  const claims = await verifiedRefreshClaims(rt, issuer, token);
  return claims && liveToken(ctx, rt, claims);
}

/**
 * Claims already verified (verifiedAccessClaims or verifiedRefreshClaims) that are still live: a
 * refresh token's oidc-provider record unconsumed, an access token not revoked, user and session live.
 */
export async function liveToken(ctx: IdpContext, rt: RealmRuntime, claims: Claims): Promise<LiveToken | undefined> {
  if (claims.typ === 'Refresh') {
    const record = await ctx.store.oidc.find('RefreshToken', String(claims.rt));
    if (!record || record.consumed) return undefined;
  } else if (await isRevokedAccessToken(ctx, claims.jti)) {
    return undefined;
  }
  return liveContext(ctx, rt, claims);
}

async function liveContext(ctx: IdpContext, rt: RealmRuntime, claims: Claims): Promise<LiveToken | undefined> {
  const client = rt.realm.clients.find((c) => c.clientId === claims.azp);
  if (!client?.enabled || typeof claims.sub !== 'string') return undefined;
  const user = await ctx.store.getUser(rt.realm.name, claims.sub);
  if (!user?.enabled) return undefined;
  if (typeof claims.iat === 'number' && user.notBefore > claims.iat) return undefined;
  if (typeof claims.sid !== 'string') return { claims, client, user };
  const session = await findSessionBySid(ctx.store, user.id, claims.sid);
  return session ? { claims, client, user, session } : undefined;
}

export async function revokeAccessToken(ctx: IdpContext, claims: JWTPayload): Promise<void> {
  if (typeof claims.jti !== 'string') return;
  const remaining = Math.max((claims.exp ?? 0) - Math.floor(Date.now() / 1000) + 1, 10);
  await ctx.store.oidc.upsert(REVOKED, claims.jti, { jti: claims.jti }, remaining);
}

export async function isRevokedAccessToken(ctx: IdpContext, jti: unknown): Promise<boolean> {
  return typeof jti === 'string' && !!(await ctx.store.oidc.find(REVOKED, jti));
}
