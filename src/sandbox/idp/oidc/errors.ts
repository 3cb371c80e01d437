// oidc-provider's errors in Keycloak's words: the HTML error page of the authorization endpoint and
// the JSON errors of the token endpoint.
import type { KoaContextWithOIDC, errors } from 'oidc-provider';
import type { Realm } from '../realm/model.ts';
import { MESSAGES, renderErrorPage } from '../pages/index.ts';

type ErrorOut = { error: string; error_description?: string };

export async function renderProviderError(kctx: KoaContextWithOIDC, out: ErrorOut, _error: errors.OIDCProviderError | Error, realm: Realm) {
  const message =
    out.error === 'invalid_client' ? MESSAGES.clientNotFound
    : out.error === 'invalid_redirect_uri' ? MESSAGES.invalidRedirectUri
    : out.error_description?.startsWith('missing required parameter')
      ? `Missing parameter: ${out.error_description.replace(/.*'(.+)'.*/, '$1')}`
      : MESSAGES.invalidRequest;
  kctx.type = 'text/html;charset=utf-8';
  // Keycloak's error page for a bad authorization request carries no Cache-Control.
  kctx.remove('Cache-Control');
  kctx.set('Content-Language', 'en');
  kctx.body = renderErrorPage({ realm: realm.name, realmDisplayName: realm.displayName, message });
}

/** Token endpoint errors as Keycloak 26 phrases them; `clientKnown` tells a wrong secret from an unknown client. */
export function keycloakTokenError(out: ErrorOut, status: number, opts: { clientKnown: boolean; grantType?: string }): { status: number; body: ErrorOut } {
  const d = out.error_description ?? '';
  const code = /grant type is not allowed/.test(d) ? 'unauthorized_client' : out.error;
  switch (code) {
    case 'invalid_client':
      return {
        status: 401,
        body: { error: opts.clientKnown ? 'unauthorized_client' : 'invalid_client', error_description: 'Invalid client or Invalid client credentials' },
      };
    case 'unauthorized_client':
      if (opts.grantType === 'password') return { status: 400, body: { error: 'unauthorized_client', error_description: 'Client not allowed for direct access grants' } };
      if (opts.grantType === 'client_credentials') return { status: 400, body: { error: 'unauthorized_client', error_description: 'Client not enabled to retrieve service account' } };
      return { status: 400, body: { error: 'unauthorized_client', error_description: d } };
    case 'invalid_grant':
      if (opts.grantType === 'authorization_code') {
        return { status: 400, body: { error: 'invalid_grant', error_description: /PKCE/i.test(d) ? 'PKCE verification failed: Code mismatch' : 'Code not valid' } };
      }
      if (opts.grantType === 'refresh_token') {
        return { status: 400, body: { error: 'invalid_grant', error_description: /session|expired/i.test(d) ? 'Session not active' : 'Invalid refresh token' } };
      }
      return { status, body: out };
    case 'unsupported_grant_type':
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' } };
    case 'invalid_request':
      if (/missing required parameter '(\w+)'/.test(d)) return { status: 400, body: { error: 'invalid_request', error_description: `Missing parameter: ${RegExp.$1}` } };
      return { status, body: out };
    default:
      return { status, body: out };
  }
}
