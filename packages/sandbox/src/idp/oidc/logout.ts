// Keycloak's RP-initiated logout (end-session): with a valid id_token_hint and a registered
// post_logout_redirect_uri it ends the SSO session and redirects at once; without a hint it asks for
// confirmation while a session is alive; a bad hint or an unregistered URI gets Keycloak's error page.
// A POST carrying a refresh token is another endpoint on the same path: client authentication, JSON
// errors and a bare 204.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { ClientConfig } from '../realm/model.ts';
import { CSP_HEADER, readBody, send, sendHtml, sendJson } from '../http.ts';
import { MESSAGES, renderErrorPage, renderInfoPage, renderLogoutConfirmPage } from '../pages/index.ts';
import { verifyIdTokenHint } from './access-token.ts';
import { expireCookie, readCookies } from './cookies.ts';
import { redirectUriMatches } from './redirect-uri.ts';
import { endSession, findSessionBySid } from './sessions.ts';
import { authenticateClient } from './client-auth.ts';
import { KC_ERRORS, oauthBody, type OAuthError } from './keycloak-texts.ts';
import { liveToken, verifiedRefreshClaims } from './token-state.ts';
import { policyHeaders } from './header-policy.ts';

const PENDING = 'KcLogoutConfirmation';

interface PendingLogout {
  [key: string]: unknown;
  sessionId?: string;
  redirect?: string;
}

export async function handleLogout(req: IncomingMessage, res: ServerResponse, url: URL, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  const realmPath = new URL(issuer).pathname;
  const view = { realm: rt.realm.name, realmDisplayName: rt.realm.displayName };
  const params = req.method === 'POST' ? new URLSearchParams(await readBody(req, 64 * 1024)) : url.searchParams;
  // A POST with a refresh token is the back-channel logout server-side adapters make: JSON, not pages.
  if (req.method === 'POST' && params.has('refresh_token')) return logoutWithRefreshToken(req, res, params, ctx, rt, issuer);
  const error = (message: string) => sendHtml(res, 400, renderErrorPage({ ...view, message }), policyHeaders('logout', 'error'));
  const clearCookies = [expireCookie('KEYCLOAK_IDENTITY', `${realmPath}/`), expireCookie('KEYCLOAK_IDENTITY.sig', `${realmPath}/`)];

  if (url.pathname.endsWith('/logout/logout-confirm')) {
    const code = params.get('session_code') ?? '';
    const pending = (await ctx.store.oidc.find(PENDING, code)) as PendingLogout | undefined;
    if (!pending) return error(MESSAGES.invalidRequest);
    await ctx.store.oidc.destroy(PENDING, code);
    if (pending.sessionId) {
      const payload = await ctx.store.oidc.find('Session', pending.sessionId);
      if (payload) await endSession(ctx.store, { id: pending.sessionId, payload });
    }
    return finish(pending.redirect);
  }

  const hintValue = params.get('id_token_hint');
  const hint = hintValue ? await verifyIdTokenHint(hintValue, rt, issuer) : undefined;
  if (hintValue && !hint) return error(MESSAGES.invalidIdTokenHint);
  const clientId = (hint?.azp as string | undefined) ?? params.get('client_id') ?? undefined;
  const client = clientId ? rt.realm.clients.find((c) => c.clientId === clientId) : undefined;
  if (clientId && !client) return error(MESSAGES.invalidRequest);

  const requested = params.get('post_logout_redirect_uri');
  let redirect: string | undefined;
  if (requested) {
    if (!client) return error('Either the parameter client_id or id_token_hint is required when post_logout_redirect_uri is used.');
    if (!allowedPostLogout(client).some((p) => redirectUriMatches(p, requested))) return error(MESSAGES.invalidRedirectUriLogout);
    const target = new URL(requested);
    const state = params.get('state');
    if (state) target.searchParams.set('state', state);
    redirect = target.toString();
  }

  const cookieSessionId = readCookies(req).KEYCLOAK_IDENTITY;
  const cookieSession = cookieSessionId ? await ctx.store.oidc.find('Session', cookieSessionId) : undefined;

  if (hint) {
    const bySid = typeof hint.sid === 'string' && hint.sub ? await findSessionBySid(ctx.store, hint.sub, hint.sid) : undefined;
    if (bySid) await endSession(ctx.store, bySid);
    if (cookieSession && cookieSessionId && cookieSession.accountId === hint.sub) await endSession(ctx.store, { id: cookieSessionId, payload: cookieSession });
    return finish(redirect);
  }
  if (cookieSession && cookieSessionId) {
    const code = randomUUID();
    await ctx.store.oidc.upsert(PENDING, code, { sessionId: cookieSessionId, redirect } satisfies PendingLogout, 300);
    const actionUrl = `${issuer}/protocol/openid-connect/logout/logout-confirm`;
    return sendHtml(res, 200, renderLogoutConfirmPage({ ...view, actionUrl, sessionCode: code }), policyHeaders('logout', 'page'));
  }
  return finish(redirect);

  function finish(target: string | undefined) {
    if (target) return send(res, 302, '', { ...policyHeaders('logout', 'redirect'), Location: target, 'Set-Cookie': clearCookies });
    return sendHtml(res, 200, renderInfoPage({ ...view, title: MESSAGES.loggedOut, message: MESSAGES.loggedOut }), {
      ...policyHeaders('logout', 'page'),
      'Set-Cookie': clearCookies,
    });
  }
}

/** Authenticates the client, checks the refresh token is its own and live, and ends the session: 204. */
async function logoutWithRefreshToken(req: IncomingMessage, res: ServerResponse, form: URLSearchParams, ctx: IdpContext, rt: RealmRuntime, issuer: string) {
  const fail = (e: OAuthError) => sendJson(res, e.status, oauthBody(e), policyHeaders('logoutPost', e.status === 401 ? 'unauthenticated' : 'error'));
  const auth = authenticateClient(rt.realm, req, form);
  if (auth.error) return fail(auth.error);
  const claims = await verifiedRefreshClaims(rt, issuer, form.get('refresh_token')!);
  if (!claims) return fail(KC_ERRORS.invalidRefreshToken);
  if (claims.azp !== auth.client.clientId) return fail(KC_ERRORS.logoutClientMismatch);
  const live = await liveToken(ctx, rt, claims);
  if (!live?.session) return fail(KC_ERRORS.sessionNotActive);
  await endSession(ctx.store, live.session);
  send(res, 204, undefined, { ...policyHeaders('logoutPost', 'ok'), ...CSP_HEADER });
}

/** Keycloak 26: without post-logout URIs configured, the client's redirect URIs are accepted. */
function allowedPostLogout(client: ClientConfig): string[] {
  return client.postLogoutRedirectUris.length ? client.postLogoutRedirectUris : client.redirectUris;
}
