// Keycloak's token introspection (RFC 7662) for the realm's own JWTs: a confidential client asks
// about an access or refresh token. An access token is active only for a caller in its audience
// (Keycloak: "Client '...' is not in the token audience"); a refresh token for its own client. The
// answer is the token's basic claims with the mappers' introspection claims rebuilt from the user,
// then client_id, username, token_type and active; anything else is {"active":false}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { hasDuplicatedParameter, readBody, sendJson } from '../http.ts';
import { activeScopes, mapperClaims } from './claims.ts';
import { authenticateClient } from './client-auth.ts';
import { KC_ERRORS, oauthBody, type OAuthError } from './keycloak-texts.ts';
import { liveAccessToken, liveRefreshToken, type LiveToken } from './token-state.ts';
import { policyHeaders } from './header-policy.ts';

const BASIC_CLAIMS = ['exp', 'iat', 'jti', 'iss', 'aud', 'sub', 'typ', 'azp', 'sid', 'acr'];
const HEADERS = policyHeaders('introspection', 'ok');
const errorHeaders = (status: number) => policyHeaders('introspection', status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error');

export async function handleIntrospection(req: IncomingMessage, res: ServerResponse, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  const form = new URLSearchParams(await readBody(req, 256 * 1024));
  const fail = (e: OAuthError) => sendJson(res, e.status, oauthBody(e), errorHeaders(e.status));
  const auth = authenticateClient(rt.realm, req, form);
  if (auth.error) return fail(auth.error);
  if (auth.client.publicClient) return fail(KC_ERRORS.introspectionPublicClient);
  if (hasDuplicatedParameter(form)) return fail(KC_ERRORS.duplicatedParameter);
  const hint = form.get('token_type_hint') ?? 'access_token';
  if (hint !== 'access_token' && hint !== 'refresh_token') return fail(KC_ERRORS.introspectionTokenType(hint));
  const token = form.get('token');
  if (token === null) return fail(KC_ERRORS.introspectionNoToken);

  const caller = auth.client.clientId;
  // Keycloak picks the provider by the hint; a refresh token sent without one is still recognised by its type.
  const access = await liveAccessToken(ctx, rt, issuer, token);
  if (access) return sendJson(res, 200, audienceOf(access.claims.aud).includes(caller) ? describe(rt, access, 'access') : { active: false }, HEADERS);
  const refresh = await liveRefreshToken(ctx, rt, issuer, token);
  if (refresh && refresh.client.clientId === caller) return sendJson(res, 200, describe(rt, refresh, 'refresh'), HEADERS);
  sendJson(res, 200, { active: false }, HEADERS);
}

function audienceOf(aud: unknown): string[] {
  return Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
}

function describe(rt: RealmRuntime, t: LiveToken, kind: 'access' | 'refresh'): Record<string, unknown> {
  const requested = String(t.claims.scope ?? '').split(' ').filter(Boolean);
  const mapped = mapperClaims(rt.realm, t.client, t.user, 'introspection', requested);
  const out: Record<string, unknown> = {};
  for (const k of BASIC_CLAIMS) if (t.claims[k] !== undefined) out[k] = t.claims[k];
  out.acr ??= '1';
  if (kind === 'refresh') {
    // A refresh token's audience is the realm; the audience mappers add the clients the user has roles on.
    out.aud = [...audienceOf(mapped.aud), ...audienceOf(t.claims.aud)];
    // Its scope lists every client scope in effect, not only those shown in an access token's scope.
    out.scope = [...new Set([...activeScopes(rt.realm, t.client, requested), ...requested.filter((s) => s === 'openid')])].sort().join(' ');
  } else {
    out.scope = t.claims.scope;
  }
  delete mapped.aud;
  Object.assign(out, mapped);
  if (!out.scope) delete out.scope;
  return { ...out, client_id: t.client.clientId, username: t.user.username, token_type: kind === 'refresh' ? 'Refresh' : 'Bearer', active: true };
}
