// ID token hints and bearer tokens as the logout and userinfo endpoints take them (access tokens: token-state.ts).
import { jwtVerify, type JWTPayload } from 'jose';
import type { RealmRuntime } from '../context.ts';

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
