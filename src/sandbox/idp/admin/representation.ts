// Keycloak's JSON representations of realms, roles, clients, credentials and user sessions, keys in
// Keycloak's order and absent values left out (Keycloak serialises with NON_NULL).
import type { ClientConfig, Realm, RoleDef } from '../realm/model.ts';
import type { StoredCredential } from '../store/types.ts';
import { ARGON2_CREDENTIAL_DATA } from '../passwords.ts';

const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Brief role representation (role lists and mappings); the single-role GET adds `attributes`. */
export function roleRep(role: RoleDef, full = false): Record<string, unknown> {
  return compact({
    id: role.id,
    name: role.name,
    description: role.description,
    composite: role.composite,
    clientRole: role.clientRole,
    containerId: role.containerId,
    attributes: full ? {} : undefined,
  });
}

export const byName = (a: RoleDef, b: RoleDef) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function credentialRep(c: StoredCredential): Record<string, unknown> {
  return { id: c.id, type: c.type, createdDate: c.createdDate, credentialData: ARGON2_CREDENTIAL_DATA };
}

export function clientRep(c: ClientConfig): Record<string, unknown> {
  return compact({
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    surrogateAuthRequired: false,
    enabled: c.enabled,
    alwaysDisplayInConsole: false,
    clientAuthenticatorType: 'client-secret',
    redirectUris: c.redirectUris,
    webOrigins: [],
    notBefore: 0,
    bearerOnly: c.bearerOnly,
    consentRequired: false,
    standardFlowEnabled: c.standardFlowEnabled,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: c.directAccessGrantsEnabled,
    serviceAccountsEnabled: c.serviceAccountsEnabled,
    publicClient: c.publicClient,
    frontchannelLogout: true,
    protocol: 'openid-connect',
    attributes: compact({
      'pkce.code.challenge.method': c.pkceMethod,
      'post.logout.redirect.uris': c.postLogoutRedirectUris.length ? c.postLogoutRedirectUris.join('##') : undefined,
    }),
    fullScopeAllowed: true,
    nodeReRegistrationTimeout: -1,
    defaultClientScopes: c.defaultClientScopes,
    optionalClientScopes: c.optionalClientScopes,
    access: { view: true, configure: true, manage: true },
  });
}

/** What a caller that may list but not view clients gets (Keycloak's ClientsResource). */
export function briefClientRep(c: ClientConfig): Record<string, unknown> {
  return { id: c.id, clientId: c.clientId };
}

/** A subset of Keycloak's RealmRepresentation: the settings the sandbox honours. */
export function realmRep(r: Realm): Record<string, unknown> {
  return compact({
    id: r.id,
    realm: r.name,
    displayName: r.displayName,
    notBefore: 0,
    defaultSignatureAlgorithm: 'RS256',
    revokeRefreshToken: false,
    refreshTokenMaxReuse: 0,
    accessTokenLifespan: r.accessTokenLifespan,
    ssoSessionIdleTimeout: r.ssoSessionIdleTimeout,
    ssoSessionMaxLifespan: r.ssoSessionMaxLifespan,
    accessCodeLifespan: r.accessCodeLifespan,
    enabled: r.enabled,
    sslRequired: 'none',
    registrationAllowed: false,
    registrationEmailAsUsername: false,
    rememberMe: false,
    verifyEmail: false,
    loginWithEmailAllowed: r.loginWithEmailAllowed,
    duplicateEmailsAllowed: false,
    resetPasswordAllowed: false,
    editUsernameAllowed: false,
    bruteForceProtected: false,
    defaultRole: (() => {
      const role = r.realmRoles.find((x) => x.name === r.defaultRoleName);
      return role && roleRep(role);
    })(),
    requiredCredentials: ['password'],
    passwordPolicy: r.passwordPolicy || undefined,
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
