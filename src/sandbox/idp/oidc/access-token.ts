// Verifies access tokens this realm issued (RS256, our key, our issuer, not expired, typ Bearer).
import { jwtVerify, type JWTPayload } from 'jose';
import type { RealmRuntime } from '../context.ts';

export async function verifyAccessToken(token: string, rt: RealmRuntime, issuer: string): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, rt.keys.verifyKey, { issuer, algorithms: ['RS256'] });
    return payload.typ === 'Bearer' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Signature and issuer only: Keycloak accepts an expired ID token as a logout hint. */
export async function verifyIdTokenHint(token: string, rt: RealmRuntime, issuer: string): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, rt.keys.verifyKey, { issuer, algorithms: ['RS256'], clockTolerance: 10 * 365 * 86400 });
    return payload;
  } catch {
    return undefined;
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}
