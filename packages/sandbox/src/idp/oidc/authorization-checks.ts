// Keycloak's authorization request checks, in Keycloak's order (AuthorizationEndpoint and
// AuthorizationEndpointChecker), run before oidc-provider sees the request so that each refusal
// carries Keycloak's code and text. Requests that pass go on to oidc-provider unchanged; an unknown
// client or unregistered redirect_uri is left to it too (errors.ts renders those pages).
import type { ClientConfig, Realm } from '../realm/model.ts';
import { MESSAGES } from '../pages/index.ts';
import { KC_ERRORS, type OAuthError } from './keycloak-texts.ts';
import { redirectUriMatches } from './redirect-uri.ts';

export type AuthorizationRefusal =
  | { kind: 'page'; status: number; message: string; cacheControl: boolean }
  | { kind: 'redirect'; location: string };

const RESPONSE_TYPES = new Set(['code', 'none', 'token', 'id_token', 'code token', 'code id_token', 'id_token token', 'code id_token token']);
const RESPONSE_MODES = new Set(['query', 'fragment', 'form_post', 'query.jwt', 'fragment.jwt', 'form_post.jwt', 'jwt']);

export function checkAuthorizationRequest(realm: Realm, issuer: string, q: URLSearchParams): AuthorizationRefusal | undefined {
  // The request parser reads max_age as a number before anything else is looked at.
  const maxAge = q.get('max_age');
  if (maxAge !== null && !/^\d+$/.test(maxAge)) return { kind: 'page', status: 400, message: MESSAGES.invalidRequest, cacheControl: false };

  const client = realm.clients.find((c) => c.clientId === q.get('client_id') && c.enabled && !c.bearerOnly);
  const redirectUri = q.get('redirect_uri');
  if (!client || !redirectUri || !client.redirectUris.some((p) => redirectUriMatches(p, redirectUri))) return undefined;

  const responseType = normalise(q.get('response_type'));
  const implicit = responseType !== undefined && /\b(token|id_token)\b/.test(responseType);
  const mode = q.get('response_mode') ?? (implicit ? 'fragment' : 'query');
  const back = (e: OAuthError) => ({ kind: 'redirect' as const, location: errorRedirect(redirectUri, mode.startsWith('fragment') ? '#' : '?', e, q.get('state'), issuer) });

  if (responseType === undefined) return back(KC_ERRORS.missingParameter('response_type'));
  if (!RESPONSE_TYPES.has(responseType)) return back(KC_ERRORS.unsupportedResponseType);
  if (!RESPONSE_MODES.has(mode)) return back(KC_ERRORS.invalidParameter('response_mode'));
  if (implicit && !client.implicitFlowEnabled) return back(KC_ERRORS.implicitFlowDisabled);
  if (!implicit && responseType !== 'none' && !client.standardFlowEnabled) return back(KC_ERRORS.standardFlowDisabled);

  const scope = q.get('scope') ?? '';
  if (!scopeAllowed(client, scope)) return back(KC_ERRORS.invalidScopes(scope));

  const pkce = pkceRefusal(client, q.get('code_challenge'), q.get('code_challenge_method'));
  if (pkce) return back(pkce);

  if ((q.get('prompt') ?? '').split(' ').includes('create') && !realm.registrationAllowed) {
    return { kind: 'page', status: 400, message: MESSAGES.registrationNotAllowed, cacheControl: true };
  }
  return undefined;
}

function normalise(responseType: string | null): string | undefined {
  if (responseType === null || responseType.trim() === '') return undefined;
  const order = ['code', 'id_token', 'token', 'none'];
  const parts = responseType.trim().split(/\s+/);
  return parts.every((p) => order.includes(p)) ? [...new Set(parts)].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(' ') : responseType;
}

/** Keycloak admits openid and the client's own default and optional client scopes (TokenManager.isValidScope). */
function scopeAllowed(client: ClientConfig, scope: string): boolean {
  const known = new Set(['openid', ...client.defaultClientScopes, ...client.optionalClientScopes]);
  return scope.split(' ').filter(Boolean).every((s) => known.has(s));
}

/** PKCE as Keycloak checks it: a method without a challenge, a client that requires PKCE, a method other than the configured one. */
function pkceRefusal(client: ClientConfig, challenge: string | null, method: string | null): OAuthError | undefined {
  if (!challenge && (method || client.pkceMethod)) return KC_ERRORS.missingParameter('code_challenge');
  if (!challenge) return undefined;
  const used = method ?? 'plain';
  if (client.pkceMethod ? used !== client.pkceMethod : used !== 'S256' && used !== 'plain') return KC_ERRORS.pkceInvalidMethod;
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) return KC_ERRORS.pkceInvalidChallenge;
  return undefined;
}

/** error, error_description, state, iss: the order Keycloak writes them in. */
function errorRedirect(redirectUri: string, separator: '?' | '#', e: OAuthError, state: string | null, issuer: string): string {
  const params = new URLSearchParams({ error: e.error });
  if (e.error_description) params.set('error_description', e.error_description);
  if (state !== null) params.set('state', state);
  params.set('iss', issuer);
  const joiner = separator === '?' && redirectUri.includes('?') ? '&' : separator;
  return `${redirectUri}${joiner}${params}`;
}
