// Keycloak's userinfo: the access token must be ours and its user session still alive.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { readBody, sendJson } from '../http.ts';
import { bearerToken, verifyAccessToken } from './access-token.ts';
import { mapperClaims } from './claims.ts';
import { findSessionBySid } from './sessions.ts';

export async function handleUserinfo(req: IncomingMessage, res: ServerResponse, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  let token = bearerToken(req.headers.authorization);
  if (!token && req.method === 'POST') token = new URLSearchParams(await readBody(req, 64 * 1024)).get('access_token') ?? undefined;
  const fail = (status: number, error: string, description: string) =>
    sendJson(res, status, { error, error_description: description }, {
      'WWW-Authenticate': `Bearer realm="${rt.realm.name}", error="${error}", error_description="${description}"`,
      'Cache-Control': 'no-cache',
    });
  if (!token) return fail(401, 'invalid_request', 'Token not provided');
  const claims = await verifyAccessToken(token, rt, issuer);
  if (!claims?.sub) return fail(401, 'invalid_token', 'Token verification failed');
  const user = await ctx.store.getUser(rt.realm.name, claims.sub);
  const client = rt.realm.clients.find((c) => c.clientId === claims.azp);
  if (!user || !client) return fail(401, 'invalid_token', 'User not found');
  if (!user.enabled) return fail(401, 'invalid_request', 'User disabled');
  if (typeof claims.sid === 'string' && !(await findSessionBySid(ctx.store, user.id, claims.sid))) {
    return fail(401, 'invalid_token', "User session not found or doesn't have client attached on it");
  }
  const scopes = String(claims.scope ?? '').split(' ');
  const out = mapperClaims(rt.realm, client, user, 'userinfo', scopes);
  sendJson(res, 200, { sub: user.id, ...out }, { 'Cache-Control': 'no-cache' });
}
