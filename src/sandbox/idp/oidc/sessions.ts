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
