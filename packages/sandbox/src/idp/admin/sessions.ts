// A user's sessions: GET users/{id}/sessions and POST users/{id}/logout. Sessions are
// oidc-provider Session records (accountId = user id); their `authorizations` name the clients.
import type { IdpContext } from '../context.ts';
import type { Realm } from '../realm/model.ts';
import type { OidcPayload, StoredUser } from '../store/types.ts';
import { can, requirePermission } from './auth.ts';
import { sessionRep } from './representation.ts';
import { sendNoContent, sendOk } from './respond.ts';
import { targetUser, type AdminRoute } from './request.ts';
import { endSession } from '../oidc/sessions.ts';

/** Ends every session of the user and revokes the grants behind its tokens, as Keycloak's logout does. */
export async function endUserSessions(ctx: IdpContext, userId: string): Promise<void> {
  const oidc = ctx.store.oidc;
  for (const s of await oidc.listByAccount('Session', userId)) await endSession(ctx.store, s);
  // Grants outside any session (e.g. offline ones) go too.
  for (const g of await oidc.listByAccount('Grant', userId)) {
    await oidc.revokeByGrantId(g.id);
    await oidc.destroy('Grant', g.id);
  }
}

function toRep(realm: Realm, user: StoredUser, id: string, p: OidcPayload): Record<string, unknown> {
  const authorizations = (p.authorizations ?? {}) as Record<string, unknown>;
  const clients: Record<string, string> = {};
  for (const clientId of Object.keys(authorizations)) {
    const client = realm.clients.find((c) => c.clientId === clientId);
    if (client) clients[client.id] = client.clientId;
  }
  // oidc-provider keeps seconds; Keycloak reports milliseconds.
  const loginTs = typeof p.loginTs === 'number' ? p.loginTs * 1000 : Date.now();
  const lastAccess = typeof p.lastAccess === 'number' ? p.lastAccess * 1000 : loginTs;
  return sessionRep({
    id: typeof p.uid === 'string' ? p.uid : id,
    username: user.username,
    userId: user.id,
    ipAddress: typeof p.ipAddress === 'string' ? p.ipAddress : '127.0.0.1',
    start: loginTs,
    lastAccess,
    clients,
  });
}

export const sessionRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: 'users/:id/sessions',
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.viewUsers(r.caller));
      const sessions = await r.ctx.store.oidc.listByAccount('Session', user.id);
      sendOk(r.res, sessions.map((s) => toRep(r.rt.realm, user, s.id, s.payload)));
    },
  },
  {
    method: 'POST',
    path: 'users/:id/logout',
    async handle(r) {
      const user = await targetUser(r);
      requirePermission(can.manageUsers(r.caller));
      await endUserSessions(r.ctx, user.id);
      sendNoContent(r.res);
    },
  },
];
