// Keycloak 26's OAuth error codes and texts at the protocol endpoints, in one table, as Keycloak's
// own classes word them (OIDCLoginProtocol, AuthorizationEndpointChecker, AuthorizeClientUtil,
// TokenEndpoint, TokenIntrospectionEndpoint, TokenRevocationEndpoint, LogoutEndpoint,
// UserInfoEndpoint). oidc-provider stays the protocol core; its answers are translated at the edges
// into these, so a client coded against the sandbox meets the texts it will meet on Keycloak.

export interface OAuthError {
  status: number;
  error: string;
  error_description?: string;
}

const e = (status: number, error: string, error_description?: string): OAuthError => ({ status, error, ...(error_description === undefined ? {} : { error_description }) });

export const KC_ERRORS = {
  // AuthorizeClientUtil: an unknown or unnamed client, and a known one with wrong credentials.
  clientUnknown: e(401, 'invalid_client', 'Invalid client or Invalid client credentials'),
  clientCredentials: e(401, 'unauthorized_client', 'Invalid client or Invalid client credentials'),
  bearerOnly: e(400, 'invalid_client', 'Bearer-only not allowed'),
  duplicatedParameter: e(400, 'invalid_request', 'duplicated parameter'),

  // TokenEndpoint and its grants.
  missingGrantType: e(400, 'invalid_request', 'Missing form parameter: grant_type'),
  unsupportedGrantType: e(400, 'unsupported_grant_type', 'Unsupported grant_type'),
  directGrantsDisabled: e(400, 'unauthorized_client', 'Client not allowed for direct access grants'),
  serviceAccountDisabled: e(400, 'unauthorized_client', 'Client not enabled to retrieve service account'),
  invalidUserCredentials: e(400, 'invalid_grant', 'Invalid user credentials'),
  accountDisabled: e(400, 'invalid_grant', 'Account disabled'),
  accountNotSetUp: e(400, 'invalid_grant', 'Account is not fully set up'),
  codeNotValid: e(400, 'invalid_grant', 'Code not valid'),
  // PkceUtils (checkParamsForPkceEnforcedClient / NotEnforcedClient, verifyCodeVerifier).
  pkceMismatch: e(400, 'invalid_grant', 'PKCE verification failed: Code mismatch'),
  pkceVerifierMissing: e(400, 'invalid_grant', 'PKCE code verifier not specified'),
  pkceVerifierInvalid: e(400, 'invalid_grant', 'PKCE verification failed: Invalid code verifier'),
  pkceVerifierWithoutChallenge: e(400, 'invalid_grant', 'PKCE code verifier specified but challenge not present in authorization'),
  invalidRefreshToken: e(400, 'invalid_grant', 'Invalid refresh token'),
  // TokenManager.verifyRefreshToken / validateToken, in the order Keycloak checks them.
  refreshClientMismatch: e(400, 'invalid_grant', "Invalid refresh token. Token client and authorized client don't match"),
  sessionNotActive: e(400, 'invalid_grant', 'Session not active'),
  sessionWithoutClient: e(400, 'invalid_grant', "Session doesn't have required client"),

  // TokenIntrospectionEndpoint.
  introspectionPublicClient: e(403, 'invalid_request', 'Client not allowed.'),
  introspectionNoToken: e(400, 'invalid_request', 'Token not provided.'),
  introspectionTokenType: (hint: string) => e(400, 'invalid_request', `Unsupported token type [${hint}].`),

  // TokenRevocationEndpoint: an unusable token is answered 200, as RFC 7009 asks.
  revocationNoToken: e(400, 'invalid_request', 'Token not provided'),
  revocationInvalidToken: e(200, 'invalid_token', 'Invalid token'),
  revocationUnmatchingClients: e(400, 'invalid_request', 'Unmatching clients'),

  // LogoutEndpoint, the POST with a refresh token that server-side adapters make (besides the token endpoint's).
  logoutClientMismatch: e(400, 'invalid_grant', "Invalid refresh token. Token client and authorized client don't match"),

  // AuthorizationEndpoint / AuthorizationEndpointChecker: errors redirected back to the client.
  missingParameter: (name: string) => e(302, 'invalid_request', `Missing parameter: ${name}`),
  invalidParameter: (name: string) => e(302, 'invalid_request', `Invalid parameter: ${name}`),
  unsupportedResponseType: e(302, 'unsupported_response_type'),
  implicitFlowDisabled: e(302, 'unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.'),
  standardFlowDisabled: e(302, 'unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.'),
  invalidScopes: (scope: string) => e(302, 'invalid_scope', `Invalid scopes: ${scope}`),
  pkceInvalidMethod: e(302, 'invalid_request', 'Invalid parameter: code challenge method is not configured one'),
  pkceInvalidChallenge: e(302, 'invalid_request', 'Invalid parameter: code_challenge'),
} as const;

/** The JSON body of an OAuth error. */
export function oauthBody(err: OAuthError): { error: string; error_description?: string } {
  return err.error_description === undefined ? { error: err.error } : { error: err.error, error_description: err.error_description };
}

/** UserInfoEndpoint: the challenge goes in WWW-Authenticate; the body stays empty. */
export const USERINFO_CHALLENGES = {
  missingToken: { status: 401 },
  invalidToken: { status: 401, error: 'invalid_token', description: 'Token verification failed' },
  missingOpenid: { status: 403, error: 'insufficient_scope', description: 'Missing openid scope' },
  lightweight: { status: 401, error: 'invalid_token', description: 'Lightweight access token not allowed for userinfo endpoint' },
  userNotFound: { status: 401, error: 'invalid_token', description: 'User not found' },
  userDisabled: { status: 401, error: 'invalid_request', description: 'User disabled' },
  sessionNotFound: { status: 401, error: 'invalid_token', description: "User session not found or doesn't have client attached on it" },
} as const;
