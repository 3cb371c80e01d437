// Keycloak "user sessions" are oidc-provider Session records; these helpers find and end them.
import type { IdpStore, OidcPayload } from '../store/types.ts';

type Authorizations = Record<string, { sid?: string; grantId?: string }>;

export function sidsOf(payload: OidcPayload): string[] {
  return Object.values((payload.authorizations ?? {}) as Authorizations).flatMap((a) => (a.sid ? [a.sid] : []));
}

export async function findSessionBySid(store: IdpStore, accountId: string, sid: string) {
  return (await store.oidc.listByAccount('Session', accountId)).find((s) => sidsOf(s.payload).includes(sid));
}

/** Ends one session: the record goes and every grant made in it is revoked, so its refresh tokens die. */
export async function endSession(store: IdpStore, session: { id: string; payload: OidcPayload }): Promise<void> {
  for (const a of Object.values((session.payload.authorizations ?? {}) as Authorizations)) {
    if (a.grantId) await store.oidc.revokeByGrantId(a.grantId);
  }
  await store.oidc.destroy('Session', session.id);
}

/**
 * Ends one client's part of a session (Keycloak's client session), as revoking a refresh token does:
 * its grant goes, so its refresh tokens die; the session itself goes once no client is left in it.
 */
export async function detachClient(store: IdpStore, session: { id: string; payload: OidcPayload }, clientId: string): Promise<void> {
  const authorizations = { ...((session.payload.authorizations ?? {}) as Authorizations) };
  const own = authorizations[clientId];
  if (own?.grantId) await store.oidc.revokeByGrantId(own.grantId);
  delete authorizations[clientId];
  if (Object.keys(authorizations).length === 0) return void (await store.oidc.destroy('Session', session.id));
  const remaining = typeof session.payload.exp === 'number' ? Math.max(session.payload.exp - Math.floor(Date.now() / 1000), 1) : undefined;
  await store.oidc.upsert('Session', session.id, { ...session.payload, authorizations }, remaining);
}
