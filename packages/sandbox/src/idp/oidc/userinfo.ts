// Keycloak's userinfo: a live access token of this realm that was issued with the openid scope and
// is not lightweight. Refusals carry the reason in WWW-Authenticate only (empty text/plain body,
// no-store), as Keycloak's UserInfoEndpoint answers; success is the userinfo mappers' claims.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { readBody, send, sendJson } from '../http.ts';
import { bearerToken } from './access-token.ts';
import { mapperClaims } from './claims.ts';
import { USERINFO_CHALLENGES } from './keycloak-texts.ts';
import { isRevokedAccessToken, verifiedAccessClaims } from './token-state.ts';
import { findSessionBySid } from './sessions.ts';
import { policyHeaders } from './header-policy.ts';

type Challenge = { status: number; error?: string; description?: string };

export async function handleUserinfo(req: IncomingMessage, res: ServerResponse, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  let token = bearerToken(req.headers.authorization);
  if (!token && req.method === 'POST') token = new URLSearchParams(await readBody(req, 64 * 1024)).get('access_token') ?? undefined;
  const refuse = (c: Challenge) => {
    const details = c.error ? `, error="${c.error}", error_description="${c.description}"` : '';
    send(res, c.status, '', {
      'WWW-Authenticate': `Bearer realm="${rt.realm.name}"${details}`,
      ...policyHeaders('userinfo', c.status === 403 ? 'forbidden' : 'unauthenticated'),
    });
  };
  if (!token) return refuse(USERINFO_CHALLENGES.missingToken);
  const claims = await verifiedAccessClaims(rt, issuer, token);
  if (!claims || (await isRevokedAccessToken(ctx, claims.jti))) return refuse(USERINFO_CHALLENGES.invalidToken);
  const scopes = String(claims.scope ?? '').split(' ');
  if (!scopes.includes('openid')) return refuse(USERINFO_CHALLENGES.missingOpenid);
  const client = rt.realm.clients.find((c) => c.clientId === claims.azp);
  if (client?.lightweightAccessToken) return refuse(USERINFO_CHALLENGES.lightweight);
  const user = typeof claims.sub === 'string' ? await ctx.store.getUser(rt.realm.name, claims.sub) : undefined;
  if (!user || !client) return refuse(USERINFO_CHALLENGES.userNotFound);
  if (!user.enabled) return refuse(USERINFO_CHALLENGES.userDisabled);
  if (typeof claims.sid === 'string' && !(await findSessionBySid(ctx.store, user.id, claims.sid))) return refuse(USERINFO_CHALLENGES.sessionNotFound);
  const out = mapperClaims(rt.realm, client, user, 'userinfo', scopes);
  sendJson(res, 200, { sub: user.id, ...out }, policyHeaders('userinfo', 'ok'));
}
