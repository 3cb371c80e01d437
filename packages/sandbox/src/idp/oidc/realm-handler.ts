// Everything under /realms/{realm}/: Keycloak's own endpoints (discovery, certs, userinfo, logout,
// login actions, introspection, revocation) and the protocol endpoints handed to oidc-provider
// (auth, token) with Keycloak's edges around them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { Handler } from '../server.ts';
import { CSP_HEADER, HTML_HEADERS, send, sendJson } from '../http.ts';
import { renderErrorPage, renderLoginPage } from '../pages/index.ts';
import { checkAuthorizationRequest, type AuthorizationRefusal } from './authorization-checks.ts';
import { createProvider } from './provider.ts';
import { registerPasswordGrant } from './password-grant.ts';
import { discoveryDocument } from './discovery.ts';
import { handleUserinfo } from './userinfo.ts';
import { handleLogout } from './logout.ts';
import { handleIntrospection } from './introspection.ts';
import { handleRevocation } from './revocation.ts';
import { AUTH_SESSION_COOKIE, createLoginActions } from './login-actions.ts';
import { keycloakTokenResponse, prepareTokenRequest } from './token-endpoint.ts';
import { keycloakAuthorizationResponse, plainChallengeAsS256 } from './response-mode.ts';
import { policyHeaders } from './header-policy.ts';

export function createRealmHandler(ctx: IdpContext, rt: RealmRuntime, baseUrl: string): Handler {
  const issuer = `${baseUrl}/realms/${encodeURIComponent(rt.realm.name)}`;
  const prefix = new URL(issuer).pathname;
  const provider = createProvider(ctx, rt, issuer);
  registerPasswordGrant(provider, ctx, rt);
  provider.use(keycloakTokenResponse(rt, issuer));
  provider.use(inlineLoginPage(rt, issuer));
  provider.use(keycloakRedirects());
  provider.use(keycloakAuthorizationResponse());
  const callback = provider.callback();
  const loginActions = createLoginActions(provider, ctx, rt, issuer);
  const discovery = JSON.stringify(discoveryDocument(issuer, rt.realm));

  const toProvider = (req: IncomingMessage, res: ServerResponse) => {
    // Mounted under the realm path: oidc-provider sees the rest, and learns the mount from originalUrl.
    const r = req as IncomingMessage & { originalUrl?: string };
    r.originalUrl ??= r.url;
    r.url = (r.originalUrl ?? '/').slice(prefix.length) || '/';
    return callback(r, res);
  };

  return async (req, res, url) => {
    const path = url.pathname.slice(prefix.length);
    const oidc = '/protocol/openid-connect';
    if (path === '/.well-known/openid-configuration') {
      return sendJson(res, 200, JSON.parse(discovery), policyHeaders('discovery', 'ok'));
    }
    if (path === `${oidc}/certs`) return sendJson(res, 200, rt.keys.publicJwks, policyHeaders('certs', 'ok'));
    if (path === `${oidc}/userinfo`) return handleUserinfo(req, res, ctx, rt, issuer);
    if (path === `${oidc}/logout` || path === `${oidc}/logout/logout-confirm`) return handleLogout(req, res, url, ctx, rt, issuer);
    if (path.startsWith('/login-actions/')) return loginActions(req, res, url);
    if (path === `${oidc}/token` && req.method === 'POST') {
      const replay = await prepareTokenRequest(req, res, ctx, rt);
      if (replay) await toProvider(replay, res);
      return;
    }
    if (path === `${oidc}/token/introspect` && req.method === 'POST') return handleIntrospection(req, res, ctx, rt, issuer);
    if (path === `${oidc}/revoke` && req.method === 'POST') return handleRevocation(req, res, ctx, rt, issuer);
    if (path === `${oidc}/auth` && req.method === 'GET') {
      const refusal = checkAuthorizationRequest(rt.realm, issuer, url.searchParams);
      if (refusal) return refuseAuthorization(res, rt, refusal);
      const rewritten = plainChallengeAsS256(url);
      if (rewritten) req.url = rewritten;
    }
    if (path === `${oidc}/auth` || path.startsWith(`${oidc}/auth/`)) {
      return toProvider(req, res);
    }
    if (path === '' || path === '/') {
      return sendJson(res, 200, { realm: rt.realm.name, public_key: '', 'token-service': `${issuer}${oidc}`, 'account-service': `${issuer}/account`, 'tokens-not-before': 0 });
    }
    sendJson(res, 404, { error: 'Unable to find matching target resource method' });
  };
}

function refuseAuthorization(res: ServerResponse, rt: RealmRuntime, refusal: AuthorizationRefusal) {
  if (refusal.kind === 'redirect') return send(res, 302, '', { Location: refusal.location, ...policyHeaders('authorization', 'redirect') });
  const page = renderErrorPage({ realm: rt.realm.name, realmDisplayName: rt.realm.displayName, message: refusal.message });
  // Keycloak's early refusals (max_age) go out before its no-store filter, so without Cache-Control.
  send(res, refusal.status, page, { ...HTML_HEADERS, ...policyHeaders('authorization', refusal.cacheControl ? 'errorPage' : 'earlyErrorPage') });
}

/** Keycloak redirects back to the client with a bare 302 (oidc-provider: 303 with an HTML body). */
const SILENT_ERRORS = new Set(['login_required', 'consent_required', 'interaction_required']);
function keycloakRedirects() {
  return async (kctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (kctx.status !== 303 || !['authorization', 'resume'].includes(kctx.oidc?.route ?? '')) return;
    const location = new URL(kctx.response.get('Location'), kctx.href);
    if (location.pathname.endsWith('/login-actions/authenticate')) return; // shown inline, see below
    // Keycloak sends no description with the prompt=none errors.
    if (SILENT_ERRORS.has(location.searchParams.get('error') ?? '')) location.searchParams.delete('error_description');
    kctx.body = '';
    kctx.status = 302;
    kctx.set('Location', location.toString());
    kctx.remove('Content-Type');
    kctx.set(policyHeaders('authorization', 'redirect'));
  };
}

/**
 * Keycloak answers the authorization request with the login form itself (200), not a redirect to
 * a separate page; the form posts back to login-actions with the auth session's code.
 */
function inlineLoginPage(rt: RealmRuntime, issuer: string) {
  const loginPath = `${new URL(issuer).pathname}/login-actions/authenticate`;
  return async (kctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const location = kctx.response.get('Location');
    if (!location || !location.startsWith(loginPath) || ![302, 303].includes(kctx.status)) return;
    const uid = new URL(location, issuer).searchParams.get('session_code') ?? '';
    kctx.remove('Location');
    kctx.status = 200;
    kctx.set(policyHeaders('authorization', 'page'));
    kctx.set('Content-Language', 'en');
    kctx.set(CSP_HEADER);
    kctx.cookies.set(AUTH_SESSION_COOKIE, uid, { path: `${new URL(issuer).pathname}/`, httpOnly: true, sameSite: 'lax', signed: false });
    kctx.type = 'text/html;charset=utf-8';
    const action = new URL(location, issuer);
    const restart = new URLSearchParams({ client_id: action.searchParams.get('client_id') ?? '', tab_id: action.searchParams.get('tab_id') ?? '', client_data: action.searchParams.get('client_data') ?? '', skip_logout: 'true' });
    kctx.body = renderLoginPage({
      realm: rt.realm.name,
      realmDisplayName: rt.realm.displayName,
      actionUrl: action.toString(),
      loginRestartUrl: `${new URL(issuer).pathname}/login-actions/restart?${restart}`,
    });
  };
}
