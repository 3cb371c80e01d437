// Keycloak's OpenID discovery document for a realm. The keys are Keycloak 26's; the values list what
// the sandbox really supports, so a client negotiating from it never picks something we lack.
import type { Realm } from '../realm/model.ts';

const SIG = ['RS256'];
const ENC_ALG = ['RSA-OAEP'];
const ENC_ENC = ['A256GCM'];
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

export function discoveryDocument(issuer: string, realm: Realm) {
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    frontchannel_logout_session_supported: false,
    frontchannel_logout_supported: false,
    jwks_uri: `${oidc}/certs`,
    check_session_iframe: `${oidc}/login-status-iframe.html`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'password', 'refresh_token'],
    acr_values_supported: ['0', '1'],
    response_types_supported: ['code', 'none'],
    subject_types_supported: ['public'],
    prompt_values_supported: ['none', 'login', 'consent'],
    id_token_signing_alg_values_supported: SIG,
    id_token_encryption_alg_values_supported: ENC_ALG,
    id_token_encryption_enc_values_supported: ENC_ENC,
    userinfo_signing_alg_values_supported: [...SIG, 'none'],
    userinfo_encryption_alg_values_supported: ENC_ALG,
    userinfo_encryption_enc_values_supported: ENC_ENC,
    request_object_signing_alg_values_supported: [...SIG, 'none'],
    request_object_encryption_alg_values_supported: ENC_ALG,
    request_object_encryption_enc_values_supported: ENC_ENC,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    registration_endpoint: `${issuer}/clients-registrations/openid-connect`,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: SIG,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: SIG,
    authorization_signing_alg_values_supported: SIG,
    authorization_encryption_alg_values_supported: ENC_ALG,
    authorization_encryption_enc_values_supported: ENC_ENC,
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'name', 'given_name', 'family_name', 'preferred_username', 'email', 'acr', 'azp', 'nonce'],
    claim_types_supported: ['normal'],
    claims_parameter_supported: false,
    scopes_supported: ['openid', ...[...realm.clientScopes.keys()].sort()],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: true,
    code_challenge_methods_supported: ['plain', 'S256'],
    tls_client_certificate_bound_access_tokens: false,
    dpop_signing_alg_values_supported: SIG,
    revocation_endpoint: `${oidc}/revoke`,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: SIG,
    backchannel_logout_supported: false,
    backchannel_logout_session_supported: false,
    device_authorization_endpoint: `${oidc}/auth/device`,
    backchannel_token_delivery_modes_supported: ['poll', 'ping'],
    backchannel_authentication_endpoint: `${oidc}/ext/ciba/auth`,
    backchannel_authentication_request_signing_alg_values_supported: SIG,
    require_pushed_authorization_requests: false,
    pushed_authorization_request_endpoint: `${oidc}/ext/par/request`,
    mtls_endpoint_aliases: {
      token_endpoint: `${oidc}/token`,
      revocation_endpoint: `${oidc}/revoke`,
      introspection_endpoint: `${oidc}/token/introspect`,
      device_authorization_endpoint: `${oidc}/auth/device`,
      registration_endpoint: `${issuer}/clients-registrations/openid-connect`,
      userinfo_endpoint: `${oidc}/userinfo`,
      pushed_authorization_request_endpoint: `${oidc}/ext/par/request`,
      backchannel_authentication_endpoint: `${oidc}/ext/ciba/auth`,
    },
    authorization_response_iss_parameter_supported: true,
  };
}
