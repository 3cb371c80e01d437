// The token endpoint's Keycloak edges. Before oidc-provider: Keycloak's own early errors, the admin
// client fault, client_secret_post accepted next to Basic (Keycloak takes both), and JWT-shaped
// refresh tokens unwrapped. After it: Keycloak's response shape and error texts.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { hasDuplicatedParameter, readBody, sendJson } from '../http.ts';
import { keycloakTokenError } from './errors.ts';
import { KC_ERRORS, oauthBody, type OAuthError } from './keycloak-texts.ts';
import { peekClaims, unwrapRefreshToken, wrapRefreshToken } from './refresh-token.ts';
import { basicCredentials } from './client-auth.ts';

const TOKEN_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

type TokenRequest = IncomingMessage & { kcClientId?: string; kcGrantType?: string };

/** Returns the request to hand to oidc-provider, or undefined when it has been answered here. */
export async function prepareTokenRequest(req: IncomingMessage, res: import('node:http').ServerResponse, ctx: IdpContext, rt: RealmRuntime): Promise<TokenRequest | undefined> {
  const raw = await readBody(req, 256 * 1024);
  const form = new URLSearchParams(raw);
  const basic = basicCredentials(req);
  const clientId = basic ? basic.clientId : (form.get('client_id') ?? undefined);

  const fail = (e: OAuthError) => void sendJson(res, e.status, oauthBody(e), TOKEN_HEADERS);
  if (hasDuplicatedParameter(form)) return fail(KC_ERRORS.duplicatedParameter);
  const grantType = form.get('grant_type');
  if (!grantType) return fail(KC_ERRORS.missingGrantType);
  const client = rt.realm.clients.find((c) => c.clientId === clientId);
  if (ctx.faults.rejectAdminClient && client?.serviceAccountsEnabled) {
    return fail(KC_ERRORS.clientCredentials);
  }
  if (client?.bearerOnly) {
    return fail(KC_ERRORS.bearerOnly);
  }
  const headers = { ...req.headers };
  if (!basic && form.has('client_secret')) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId ?? '')}:${encodeURIComponent(form.get('client_secret')!)}`).toString('base64')}`;
    form.delete('client_secret');
    form.delete('client_id');
  }
  if (grantType === 'refresh_token' && form.has('refresh_token')) {
    const inner = await unwrapRefreshToken(form.get('refresh_token')!, rt.keys.refreshSecret);
    if (!inner) return fail(KC_ERRORS.invalidRefreshToken);
    form.set('refresh_token', inner);
  }
  const body = Buffer.from(form.toString());
  headers['content-length'] = String(body.length);
  headers['content-type'] = 'application/x-www-form-urlencoded';
  // A stream with the request's identity and the rewritten body, so oidc-provider parses it as usual.
  // (A second IncomingMessage on the same socket would close the connection when it is dumped.)
  const replay = Readable.from([body]) as unknown as TokenRequest;
  Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    originalUrl: (req as { originalUrl?: string }).originalUrl,
  });
  replay.kcClientId = clientId;
  replay.kcGrantType = grantType;
  return replay;
}

/** Koa middleware, after oidc-provider: Keycloak's token response and error shapes. */
export function keycloakTokenResponse(rt: RealmRuntime, issuer: string) {
  return async (kctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (kctx.oidc?.route !== 'token') return;
    const req = kctx.req as TokenRequest;
    const body = kctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return;
    kctx.set('Pragma', 'no-cache');
    kctx.set('Cache-Control', 'no-store');
    if (typeof body.error === 'string') {
      const clientKnown = rt.realm.clients.some((c) => c.clientId === req.kcClientId);
      const mapped = keycloakTokenError(body as { error: string; error_description?: string }, kctx.status, { clientKnown, grantType: req.kcGrantType });
      kctx.status = mapped.status;
      kctx.body = mapped.body;
      kctx.remove('WWW-Authenticate');
      kctx.set('Content-Type', 'application/json');
      return;
    }
    const access = peekClaims(String(body.access_token));
    // The access token already carries Keycloak's scope string (see the JWT customizer).
    const scope = String(access?.scope ?? '');
    const refreshExpiresIn = rt.realm.ssoSessionIdleTimeout;
    kctx.body = {
      access_token: body.access_token,
      expires_in: body.expires_in,
      refresh_expires_in: body.refresh_token ? refreshExpiresIn : 0,
      ...(body.refresh_token
        ? {
            refresh_token: await wrapRefreshToken(String(body.refresh_token), {
              iss: issuer,
              sub: String(access?.sub ?? ''),
              azp: String(access?.azp ?? ''),
              sid: access?.sid as string | undefined,
              scope,
              expiresIn: refreshExpiresIn,
            }, rt.keys.refreshSecret),
          }
        : {}),
      token_type: 'Bearer',
      ...(body.id_token ? { id_token: body.id_token } : {}),
      'not-before-policy': 0,
      ...(access?.sid ? { session_state: access.sid } : {}),
      scope,
    };
    // Keycloak sends plain application/json here, without Koa's charset suffix.
    kctx.set('Content-Type', 'application/json');
  };
}
