// oidc-provider's errors in Keycloak's words: the HTML error page of the authorization endpoint and
// the JSON errors of the token endpoint.
import type { KoaContextWithOIDC, errors } from 'oidc-provider';
import type { Realm } from '../realm/model.ts';
import { MESSAGES, renderErrorPage } from '../pages/index.ts';
import { KC_ERRORS, oauthBody, type OAuthError } from './keycloak-texts.ts';
import { policyHeaders } from './header-policy.ts';

type ErrorOut = { error: string; error_description?: string };

export async function renderProviderError(kctx: KoaContextWithOIDC, out: ErrorOut, _error: errors.OIDCProviderError | Error, realm: Realm) {
  const message =
    out.error === 'invalid_client' ? MESSAGES.clientNotFound
    : out.error === 'invalid_redirect_uri' ? MESSAGES.invalidRedirectUri
    : out.error_description?.startsWith('missing required parameter')
      ? `Missing parameter: ${out.error_description.replace(/.*'(.+)'.*/, '$1')}`
      : MESSAGES.invalidRequest;
  // Keycloak's error page for a bad authorization request carries no Cache-Control.
  kctx.remove('Cache-Control');
  kctx.set(policyHeaders('authorization', 'earlyErrorPage'));
  kctx.set('Content-Language', 'en');
  kctx.body = renderErrorPage({ realm: realm.name, realmDisplayName: realm.displayName, message });
}

/** Token endpoint errors as Keycloak 26 phrases them; `clientKnown` tells a wrong secret from an unknown client. */
export function keycloakTokenError(out: ErrorOut, status: number, opts: { clientKnown: boolean; grantType?: string }): { status: number; body: ErrorOut } {
  const mapped = translate(out, opts);
  return mapped ? { status: mapped.status, body: oauthBody(mapped) } : { status, body: out };
}

function translate(out: ErrorOut, opts: { clientKnown: boolean; grantType?: string }): OAuthError | undefined {
  const d = out.error_description ?? '';
  const code = /grant type is not allowed/.test(d) ? 'unauthorized_client' : out.error;
  switch (code) {
    case 'invalid_client':
      return opts.clientKnown ? KC_ERRORS.clientCredentials : KC_ERRORS.clientUnknown;
    case 'unauthorized_client':
      if (opts.grantType === 'password') return KC_ERRORS.directGrantsDisabled;
      if (opts.grantType === 'client_credentials') return KC_ERRORS.serviceAccountDisabled;
      return { status: 400, error: 'unauthorized_client', error_description: d };
    case 'invalid_grant':
      if (opts.grantType === 'authorization_code') return /PKCE/i.test(d) ? KC_ERRORS.pkceMismatch : KC_ERRORS.codeNotValid;
      if (opts.grantType === 'refresh_token') return /session|expired/i.test(d) ? KC_ERRORS.sessionNotActive : KC_ERRORS.invalidRefreshToken;
      return undefined;
    case 'unsupported_grant_type':
      return KC_ERRORS.unsupportedGrantType;
    case 'invalid_request': {
      const missing = /missing required parameter '(\w+)'/.exec(d);
      return missing ? { ...KC_ERRORS.missingParameter(missing[1]!), status: 400 } : undefined;
    }
    default:
      return undefined;
  }
}
