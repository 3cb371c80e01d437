// Keycloak's JSON representations of realms, roles, clients, credentials and user sessions, keys in
// Keycloak's order and absent values left out (Keycloak serialises with NON_NULL).
import type { ClientConfig, Realm, RoleDef } from '../realm/model.ts';
import type { StoredCredential } from '../store/types.ts';
import { ARGON2_CREDENTIAL_DATA } from '../passwords.ts';

const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Brief role representation (role lists and mappings); the full one (single-role GET, briefRepresentation=false) adds `attributes`. */
export function roleRep(role: RoleDef, full = false): Record<string, unknown> {
  return compact({
    id: role.id,
    name: role.name,
    description: role.description,
    composite: role.composite,
    clientRole: role.clientRole,
    containerId: role.containerId,
    attributes: full ? role.attributes : undefined,
  });
}

export const byName = (a: RoleDef, b: RoleDef) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function credentialRep(c: StoredCredential): Record<string, unknown> {
  return { id: c.id, type: c.type, createdDate: c.createdDate, credentialData: ARGON2_CREDENTIAL_DATA };
}

export interface ClientAccess {
  view: boolean;
  configure: boolean;
  manage: boolean;
}

/**
 * Keycloak's ClientRepresentation as GET clients and clients/{id} return it: the secret of a
 * confidential client included, the realm file's attributes with Keycloak's `realm_client` flag,
 * and no `protocol` on the realm's own bearer-only management client.
 */
export function clientRep(c: ClientConfig, access: ClientAccess): Record<string, unknown> {
  const realmClient = isRealmClient(c);
  return compact({
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    surrogateAuthRequired: false,
    enabled: c.enabled,
    alwaysDisplayInConsole: false,
    clientAuthenticatorType: 'client-secret',
    secret: c.publicClient || c.bearerOnly ? undefined : c.secret,
    redirectUris: c.redirectUris,
    webOrigins: c.webOrigins,
    notBefore: 0,
    bearerOnly: c.bearerOnly,
    consentRequired: false,
    standardFlowEnabled: c.standardFlowEnabled,
    implicitFlowEnabled: c.implicitFlowEnabled,
    directAccessGrantsEnabled: c.directAccessGrantsEnabled,
    serviceAccountsEnabled: c.serviceAccountsEnabled,
    publicClient: c.publicClient,
    frontchannelLogout: c.frontchannelLogout,
    protocol: realmClient ? undefined : 'openid-connect',
    attributes: { ...c.attributes, realm_client: String(realmClient) },
    authenticationFlowBindingOverrides: {},
    fullScopeAllowed: c.fullScopeAllowed,
    nodeReRegistrationTimeout: c.nodeReRegistrationTimeout,
    defaultClientScopes: c.defaultClientScopes,
    optionalClientScopes: c.optionalClientScopes,
    access,
  });
}

/** The client that stands for the realm in its admin roles (realm-management; `<realm>-realm` in master). */
export function isRealmClient(c: ClientConfig): boolean {
  return c.clientId === 'realm-management' || (c.bearerOnly && c.clientId.endsWith('-realm'));
}

const WEBAUTHN_POLICY = (prefix: string, residentKey: string, verification: string) => ({
  [`${prefix}RpEntityName`]: 'keycloak',
  [`${prefix}SignatureAlgorithms`]: ['ES256', 'RS256'],
  [`${prefix}RpId`]: '',
  [`${prefix}AttestationConveyancePreference`]: 'not specified',
  [`${prefix}AuthenticatorAttachment`]: 'not specified',
  [`${prefix}RequireResidentKey`]: 'not specified',
  [`${prefix}ResidentKey`]: residentKey,
  [`${prefix}UserVerificationRequirement`]: verification,
  [`${prefix}CreateTimeout`]: 0,
  [`${prefix}AvoidSameAuthenticatorRegister`]: false,
  [`${prefix}AcceptableAaguids`]: [],
  [`${prefix}ExtraOrigins`]: [],
});

/**
 * Keycloak 26's RealmRepresentation as GET /admin/realms/{realm} returns it: the realm's own
 * settings where the sandbox honours them, Keycloak's defaults for the features it does not have
 * (brute force, OTP, WebAuthn, events, flows), so a client reading the realm sees every key.
 */
export function realmRep(r: Realm): Record<string, unknown> {
  const defaultRole = r.realmRoles.find((x) => x.name === r.defaultRoleName);
  return compact({
    id: r.id,
    realm: r.name,
    displayName: r.displayName,
    notBefore: 0,
    defaultSignatureAlgorithm: 'RS256',
    revokeRefreshToken: false,
    refreshTokenMaxReuse: 0,
    accessTokenLifespan: r.accessTokenLifespan,
    accessTokenLifespanForImplicitFlow: 900,
    ssoSessionIdleTimeout: r.ssoSessionIdleTimeout,
    ssoSessionMaxLifespan: r.ssoSessionMaxLifespan,
    ssoSessionIdleTimeoutRememberMe: 0,
    ssoSessionMaxLifespanRememberMe: 0,
    offlineSessionIdleTimeout: 2592000,
    offlineSessionMaxLifespanEnabled: false,
    offlineSessionMaxLifespan: 5184000,
    clientSessionIdleTimeout: 0,
    clientSessionMaxLifespan: 0,
    clientOfflineSessionIdleTimeout: 0,
    clientOfflineSessionMaxLifespan: 0,
    accessCodeLifespan: r.accessCodeLifespan,
    accessCodeLifespanUserAction: 300,
    accessCodeLifespanLogin: 1800,
    actionTokenGeneratedByAdminLifespan: 43200,
    actionTokenGeneratedByUserLifespan: 300,
    oauth2DeviceCodeLifespan: 600,
    oauth2DevicePollingInterval: 5,
    enabled: r.enabled,
    sslRequired: r.sslRequired,
    registrationAllowed: r.registrationAllowed,
    registrationEmailAsUsername: false,
    rememberMe: false,
    verifyEmail: false,
    loginWithEmailAllowed: r.loginWithEmailAllowed,
    duplicateEmailsAllowed: false,
    resetPasswordAllowed: false,
    editUsernameAllowed: false,
    bruteForceProtected: false,
    permanentLockout: false,
    maxTemporaryLockouts: 0,
    bruteForceStrategy: 'MULTIPLE',
    maxFailureWaitSeconds: 900,
    minimumQuickLoginWaitSeconds: 60,
    waitIncrementSeconds: 60,
    quickLoginCheckMilliSeconds: 1000,
    maxDeltaTimeSeconds: 43200,
    failureFactor: 30,
    maxSecondaryAuthFailures: 0,
    defaultRole: defaultRole && roleRep(defaultRole),
    requiredCredentials: ['password'],
    passwordPolicy: r.passwordPolicy || undefined,
    otpPolicyType: 'totp',
    otpPolicyAlgorithm: 'HmacSHA1',
    otpPolicyInitialCounter: 0,
    otpPolicyDigits: 6,
    otpPolicyLookAheadWindow: 1,
    otpPolicyPeriod: 30,
    otpPolicyCodeReusable: false,
    otpSupportedApplications: ['totpAppFreeOTPName', 'totpAppGoogleName', 'totpAppMicrosoftAuthenticatorName'],
    ...WEBAUTHN_POLICY('webAuthnPolicy', 'not specified', 'not specified'),
    ...WEBAUTHN_POLICY('webAuthnPolicyPasswordless', 'required', 'required'),
    browserSecurityHeaders: {
      contentSecurityPolicyReportOnly: '',
      xContentTypeOptions: 'nosniff',
      referrerPolicy: 'no-referrer',
      xRobotsTag: 'none',
      xFrameOptions: 'SAMEORIGIN',
      contentSecurityPolicy: "frame-src 'self'; frame-ancestors 'self'; object-src 'none';",
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    },
    smtpServer: {},
    eventsEnabled: false,
    eventsListeners: ['jboss-logging'],
    enabledEventTypes: [],
    adminEventsEnabled: false,
    adminEventsDetailsEnabled: false,
    internationalizationEnabled: false,
    browserFlow: 'browser',
    registrationFlow: 'registration',
    directGrantFlow: 'direct grant',
    resetCredentialsFlow: 'reset credentials',
    clientAuthenticationFlow: 'clients',
    dockerAuthenticationFlow: 'docker auth',
    firstBrokerLoginFlow: 'first broker login',
    attributes: {
      cibaAuthRequestedUserHint: 'login_hint',
      cibaBackchannelTokenDeliveryMode: 'poll',
      cibaExpiresIn: '120',
      cibaInterval: '5',
      oauth2DeviceCodeLifespan: '600',
      oauth2DevicePollingInterval: '5',
      parRequestUriLifespan: '60',
      realmReusableOtpCode: 'false',
    },
    userManagedAccessAllowed: false,
    organizationsEnabled: false,
    verifiableCredentialsEnabled: false,
    adminPermissionsEnabled: false,
    scimApiEnabled: false,
    clientProfiles: { profiles: [] },
    clientPolicies: { policies: [] },
  });
}

export interface SessionRepInput {
  id: string;
  username: string;
  userId: string;
  ipAddress: string;
  start: number;
  lastAccess: number;
  /** client uuid -> clientId */
  clients: Record<string, string>;
}

export function sessionRep(s: SessionRepInput): Record<string, unknown> {
  return {
    id: s.id,
    username: s.username,
    userId: s.userId,
    ipAddress: s.ipAddress,
    start: s.start,
    lastAccess: s.lastAccess,
    rememberMe: false,
    clients: s.clients,
    transientUser: false,
  };
}
