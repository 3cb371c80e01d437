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
import { peekClaims, verifyRefreshToken, wrapRefreshToken } from './refresh-token.ts';
import { authenticateClient, basicCredentials } from './client-auth.ts';
import { findSessionBySid } from './sessions.ts';
import { createHash } from 'node:crypto';
import { policyHeaders } from './header-policy.ts';


type TokenRequest = IncomingMessage & { kcClientId?: string; kcGrantType?: string };

/** Returns the request to hand to oidc-provider, or undefined when it has been answered here. */
export async function prepareTokenRequest(req: IncomingMessage, res: import('node:http').ServerResponse, ctx: IdpContext, rt: RealmRuntime): Promise<TokenRequest | undefined> {
  const raw = await readBody(req, 256 * 1024);
  const form = new URLSearchParams(raw);
  const basic = basicCredentials(req);
  const clientId = basic ? basic.clientId : (form.get('client_id') ?? undefined);

  const fail = (e: OAuthError) => void sendJson(res, e.status, oauthBody(e), policyHeaders('token', e.status === 401 ? 'unauthenticated' : 'error'));
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
  // Keycloak's own checks where oidc-provider would answer otherwise, made only for a client that
  // authenticates (a wrong secret stays oidc-provider's 401).
  const authenticated = !authenticateClient(rt.realm, req, new URLSearchParams(raw)).error;
  if (grantType === 'refresh_token' && form.has('refresh_token')) {
    const wrapper = await verifyRefreshToken(form.get('refresh_token')!, rt.keys.refreshSecret, { ignoreExpiry: true });
    if (!wrapper) return fail(KC_ERRORS.invalidRefreshToken);
    if (authenticated) {
      const refusal = await refreshRefusal(ctx, clientId, wrapper);
      if (refusal) return fail(refusal);
    }
    form.set('refresh_token', String(wrapper.rt));
  }
  if (grantType === 'authorization_code' && authenticated) {
    const refusal = await pkceRefusal(ctx, form, clientId);
    if (refusal) return fail(refusal);
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

/**
 * TokenManager.refreshAccessToken's order: the token's client (verifyRefreshToken), then its user
 * session (validateToken: "Session not active" once logout, revocation or an admin logout ended
 * it), then the client's part of that session ("Session doesn't have required client" when only
 * this client was revoked out of a session others still share).
 */
async function refreshRefusal(ctx: IdpContext, clientId: string | undefined, wrapper: Record<string, unknown>): Promise<OAuthError | undefined> {
  if (wrapper.azp !== clientId) return KC_ERRORS.refreshClientMismatch;
  if (typeof wrapper.sid !== 'string' || typeof wrapper.sub !== 'string') return undefined;
  const session = await findSessionBySid(ctx.store, wrapper.sub, wrapper.sid);
  if (!session) return KC_ERRORS.sessionNotActive;
  const authorizations = (session.payload.authorizations ?? {}) as Record<string, unknown>;
  if (!authorizations[clientId!]) return KC_ERRORS.sessionWithoutClient;
  return undefined;
}

/**
 * PkceUtils at the token endpoint, for a code that is otherwise good (Keycloak checks the code, its
 * redirect_uri and client first; those refusals stay oidc-provider's, translated in errors.ts).
 * Codes always hold an S256 challenge (a plain one is hashed at the authorization endpoint, see
 * realm-handler.ts), so one comparison serves both methods. A verifier sent for a code that had no
 * challenge is refused with Keycloak's text.
 */
async function pkceRefusal(ctx: IdpContext, form: URLSearchParams, clientId: string | undefined): Promise<OAuthError | undefined> {
  const code = form.get('code');
  const record = code ? await ctx.store.oidc.find('AuthorizationCode', code) : undefined;
  if (!record || record.consumed || record.clientId !== clientId || (typeof record.exp === 'number' && record.exp * 1000 < Date.now())) return undefined;
  if (record.redirectUri !== undefined && record.redirectUri !== form.get('redirect_uri')) return undefined;
  const verifier = form.get('code_verifier');
  const challenge = typeof record.codeChallenge === 'string' ? record.codeChallenge : undefined;
  if (!challenge) return verifier === null ? undefined : KC_ERRORS.pkceVerifierWithoutChallenge;
  if (verifier === null) return KC_ERRORS.pkceVerifierMissing;
  if (!/^[0-9a-zA-Z\-.~_]{43,128}$/.test(verifier)) return KC_ERRORS.pkceVerifierInvalid;
  if (createHash('sha256').update(verifier, 'latin1').digest('base64url') !== challenge) return KC_ERRORS.pkceMismatch;
  return undefined;
}

/** Koa middleware, after oidc-provider: Keycloak's token response and error shapes. */
export function keycloakTokenResponse(rt: RealmRuntime, issuer: string) {
  return async (kctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (kctx.oidc?.route !== 'token') return;
    const req = kctx.req as TokenRequest;
    const body = kctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return;
    if (typeof body.error === 'string') {
      const clientKnown = rt.realm.clients.some((c) => c.clientId === req.kcClientId);
      const mapped = keycloakTokenError(body as { error: string; error_description?: string }, kctx.status, { clientKnown, grantType: req.kcGrantType });
      kctx.status = mapped.status;
      kctx.body = mapped.body;
      kctx.remove('WWW-Authenticate');
      kctx.set(policyHeaders('token', mapped.status === 401 ? 'unauthenticated' : 'error'));
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
    kctx.set(policyHeaders('token', 'ok'));
  };
}
