// The caching and content-type headers of every OpenID Connect endpoint, by endpoint and outcome, as
// Keycloak 26.7.1 sends them: the one table the handlers take their Cache-Control, Pragma and
// Content-Type from. Each row names its evidence: a recorded response in
// test/fixtures/keycloak-reference/ (`recording`), or, where nothing was recorded, a response derived
// from Keycloak's source in test/fixtures/keycloak-reference-derived/ (`derived`, whose file names the
// source). A header absent from a row is not sent. The header-policy test replays every row.
//
// The patterns behind the table, in Keycloak's code:
// - An ErrorResponseException (realm lookup, introspection, revocation, POST logout) answers bare
//   `application/json` without Cache-Control: the @NoCache of the resource method applies only to a
//   response the method returns (the admin API's errors show the same).
// - The token endpoint's errors are CorsErrorResponseExceptions that add `Cache-Control: no-store`
//   and `Pragma: no-cache` (TokenEndpoint, OAuth 2.0 section 5.1), as its successes do.
// - UserInfo refusals are OAuth 2.0 Bearer challenges: empty text/plain, no-store, Pragma no-cache.
// - The login pages, and every redirect of the authentication flow, carry Keycloak's
//   `no-store, must-revalidate, max-age=0` (AuthenticationManager / LoginFormsProvider); the early
//   refusals of AuthorizationEndpoint (unknown client, bad redirect URI, bad max_age) go out before
//   that and carry none.

export interface HeaderRule {
  cacheControl?: string;
  pragma?: string;
  contentType?: string;
  status: number;
  /** The fixture that shows the row: `recording` under keycloak-reference/, `derived` under keycloak-reference-derived/. */
  evidence: { recording: string } | { derived: string };
}

const JSON_TYPE = 'application/json';
const HTML = 'text/html;charset=utf-8';
const LOGIN_NO_STORE = 'no-store, must-revalidate, max-age=0';
const TOKEN = { cacheControl: 'no-store', pragma: 'no-cache', contentType: JSON_TYPE };
const BEARER_CHALLENGE = { cacheControl: 'no-store', pragma: 'no-cache', contentType: 'text/plain;charset=utf-8' };

export const HEADER_POLICY = {
  realm: {
    unknown: { status: 404, contentType: JSON_TYPE, evidence: { recording: 'oidc/discovery/unknown-realm.http' } },
  },
  discovery: {
    ok: { status: 200, cacheControl: 'no-cache, must-revalidate, no-transform, no-store', contentType: JSON_TYPE, evidence: { recording: 'oidc/discovery/master.http' } },
  },
  certs: {
    ok: { status: 200, cacheControl: 'no-cache', contentType: JSON_TYPE, evidence: { recording: 'oidc/certs/master.http' } },
    unknownRealm: { status: 404, contentType: JSON_TYPE, evidence: { derived: 'oidc/certs/unknown-realm.http' } },
  },
  token: {
    ok: { status: 200, ...TOKEN, evidence: { recording: 'oidc/token/client-credentials-grant.http' } },
    error: { status: 400, ...TOKEN, evidence: { recording: 'oidc/token/wrong-password.http' } },
    unauthenticated: { status: 401, ...TOKEN, evidence: { recording: 'oidc/token/unknown-client.http' } },
  },
  userinfo: {
    // Keycloak 26 sets no-store on the response before @NoCache adds no-cache; both reach the client.
    ok: { status: 200, cacheControl: 'no-store, no-cache', contentType: JSON_TYPE, evidence: { derived: 'oidc/userinfo/ok.http' } },
    unauthenticated: { status: 401, ...BEARER_CHALLENGE, evidence: { recording: 'oidc/userinfo/missing-authorization-header.http' } },
    forbidden: { status: 403, ...BEARER_CHALLENGE, evidence: { recording: 'oidc/userinfo/token-without-openid-scope.http' } },
  },
  introspection: {
    ok: { status: 200, cacheControl: 'no-cache', contentType: JSON_TYPE, evidence: { recording: 'oidc/introspection/active-access-token.http' } },
    error: { status: 400, contentType: JSON_TYPE, evidence: { derived: 'oidc/introspection/missing-token.http' } },
    unauthenticated: { status: 401, contentType: JSON_TYPE, evidence: { derived: 'oidc/introspection/wrong-client-secret.http' } },
    forbidden: { status: 403, contentType: JSON_TYPE, evidence: { derived: 'oidc/introspection/public-client.http' } },
  },
  revocation: {
    ok: { status: 200, evidence: { recording: 'oidc/revocation/access-token.http' } },
    invalidToken: { status: 200, contentType: JSON_TYPE, evidence: { recording: 'oidc/revocation/unknown-token.http' } },
    error: { status: 400, contentType: JSON_TYPE, evidence: { derived: 'oidc/revocation/missing-token.http' } },
    unauthenticated: { status: 401, contentType: JSON_TYPE, evidence: { recording: 'oidc/revocation/wrong-client.http' } },
  },
  logout: {
    redirect: { status: 302, cacheControl: 'no-cache', evidence: { recording: 'oidc/logout/rp-initiated-without-id-token-hint.http' } },
    page: { status: 200, cacheControl: 'no-cache', contentType: HTML, evidence: { derived: 'oidc/logout/logged-out-page.http' } },
    error: { status: 400, cacheControl: 'no-cache', contentType: HTML, evidence: { recording: 'oidc/logout/invalid-id-token-hint.http' } },
  },
  logoutPost: {
    ok: { status: 204, cacheControl: 'no-cache', evidence: { recording: 'oidc/logout/post-refresh-token.http' } },
    error: { status: 400, contentType: JSON_TYPE, evidence: { recording: 'oidc/logout/post-client-mismatch.http' } },
    unauthenticated: { status: 401, contentType: JSON_TYPE, evidence: { recording: 'oidc/logout/post-missing-client.http' } },
  },
  authorization: {
    page: { status: 200, cacheControl: LOGIN_NO_STORE, contentType: HTML, evidence: { recording: 'oidc/authorization/login-page.http' } },
    redirect: { status: 302, cacheControl: LOGIN_NO_STORE, evidence: { recording: 'oidc/authorization/prompt-none-no-session.http' } },
    earlyErrorPage: { status: 400, contentType: HTML, evidence: { recording: 'oidc/authorization/unknown-client-id.http' } },
    errorPage: { status: 400, cacheControl: LOGIN_NO_STORE, contentType: HTML, evidence: { recording: 'oidc/authorization/prompt-create.http' } },
    /** response_mode=form_post: the auto-submitting page in place of the redirect. */
    formPost: { status: 200, cacheControl: LOGIN_NO_STORE, contentType: HTML, evidence: { derived: 'oidc/authorization/form-post.http' } },
  },
  /** The login form's POST (login-actions/authenticate). */
  loginActions: {
    redirect: { status: 302, cacheControl: LOGIN_NO_STORE, evidence: { recording: 'oidc/authorization/response-mode-fragment.http' } },
    serverError: { status: 500, cacheControl: LOGIN_NO_STORE, contentType: JSON_TYPE, evidence: { recording: 'oidc/authorization/login-actions-unparseable-body.http' } },
  },
} as const satisfies Record<string, Record<string, HeaderRule>>;

export type PolicyEndpoint = keyof typeof HEADER_POLICY;
export type PolicyOutcome<E extends PolicyEndpoint> = keyof (typeof HEADER_POLICY)[E];

/** The Cache-Control, Pragma and Content-Type headers of one row, for send()/sendJson() or Koa's set(). */
export function policyHeaders<E extends PolicyEndpoint>(endpoint: E, outcome: PolicyOutcome<E>): Record<string, string> {
  const rule = HEADER_POLICY[endpoint][outcome] as HeaderRule;
  const out: Record<string, string> = {};
  if (rule.cacheControl !== undefined) out['Cache-Control'] = rule.cacheControl;
  if (rule.pragma !== undefined) out.Pragma = rule.pragma;
  if (rule.contentType !== undefined) out['Content-Type'] = rule.contentType;
  return out;
}
