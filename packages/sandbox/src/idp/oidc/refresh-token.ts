// Keycloak's refresh tokens are JWTs (HS512, typ "Refresh") and clients such as
// @keycloak/keycloak-admin-client decode them to schedule refreshes. oidc-provider's refresh tokens
// are opaque, so each one is wrapped in a signed JWT carrying Keycloak's claims on the way out and
// unwrapped on the way in.
import { SignJWT, jwtVerify, decodeJwt, type JWTPayload } from 'jose';

export interface RefreshClaims {
  iss: string;
  sub: string;
  azp: string;
  sid?: string;
  scope: string;
  /** seconds */
  expiresIn: number;
}

export async function wrapRefreshToken(opaque: string, claims: RefreshClaims, secret: Uint8Array): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ typ: 'Refresh', azp: claims.azp, sid: claims.sid, scope: claims.scope, rt: opaque })
    .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
    .setIssuer(claims.iss)
    .setAudience(claims.iss)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + claims.expiresIn)
    .setJti(crypto.randomUUID())
    .sign(secret);
}

/** The opaque token inside, or undefined when the value is not one of our wrappers. */
export async function unwrapRefreshToken(value: string, secret: Uint8Array): Promise<string | undefined> {
  // Expiry is enforced by oidc-provider on the inner token (and the session), not here.
  const payload = await verifyRefreshToken(value, secret, { ignoreExpiry: true });
  return payload?.rt as string | undefined;
}

/** The wrapper's claims when it is one of ours (signature, typ Refresh, an inner token), else undefined. */
export async function verifyRefreshToken(value: string, secret: Uint8Array, o: { issuer?: string; ignoreExpiry?: boolean } = {}): Promise<(JWTPayload & Record<string, unknown>) | undefined> {
  try {
    const { payload } = await jwtVerify(value, secret, { algorithms: ['HS512'], issuer: o.issuer, clockTolerance: o.ignoreExpiry ? 10 * 365 * 86400 : 0 });
    return payload.typ === 'Refresh' && typeof payload.rt === 'string' ? payload : undefined;
  } catch {
    return undefined;
  }
}

export function peekClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
