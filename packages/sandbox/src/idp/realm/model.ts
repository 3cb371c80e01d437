// The parts of a Keycloak realm export that the sandbox IdP honours, after placeholders are resolved.

export interface RoleDef {
  id: string;
  name: string;
  description?: string;
  composite: boolean;
  clientRole: boolean;
  /** realm id for realm roles, client uuid for client roles (Keycloak's containerId). */
  containerId: string;
  /** composite children as `realm:NAME` or `client:CLIENT_ID:NAME`. */
  composites: string[];
  attributes: Record<string, string[]>;
}

export interface ProtocolMapper {
  name: string;
  protocolMapper: string;
  config: Record<string, string>;
}

export interface ClientScope {
  name: string;
  includeInTokenScope: boolean;
  mappers: ProtocolMapper[];
}

export interface ClientConfig {
  /** Keycloak's internal client uuid. */
  id: string;
  clientId: string;
  name?: string;
  enabled: boolean;
  publicClient: boolean;
  bearerOnly: boolean;
  secret?: string;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  implicitFlowEnabled: boolean;
  /** Off: tokens carry only the roles the client's scope admits (Keycloak's "Full scope allowed"). */
  fullScopeAllowed: boolean;
  /** Keycloak 26's `client.use.lightweight.access.token.enabled`: access tokens without mapped claims. */
  lightweightAccessToken: boolean;
  /** Role names this client's own scope mappings admit when fullScopeAllowed is off: `realm:NAME` or `client:CLIENT_ID:NAME`. */
  scopeMappings: string[];
  /** The client's attributes as the realm file gives them (Keycloak shows them in the full representation). */
  attributes: Record<string, string>;
  webOrigins: string[];
  frontchannelLogout: boolean;
  nodeReRegistrationTimeout: number;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  pkceMethod?: 'S256' | 'plain';
  defaultClientScopes: string[];
  optionalClientScopes: string[];
  roles: RoleDef[];
}

export interface CredentialSeed {
  type: 'password';
  value: string;
  temporary: boolean;
}

export interface UserSeed {
  username: string;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  attributes: Record<string, string[]>;
  credentials: CredentialSeed[];
  requiredActions: string[];
  realmRoles: string[];
  clientRoles: Record<string, string[]>;
  serviceAccountClientId?: string;
}

export type UnmanagedAttributePolicy = 'ENABLED' | 'ADMIN_VIEW' | 'ADMIN_EDIT' | undefined;

export interface UserProfile {
  /** Attribute names the declarative user profile knows, beyond the four built-in ones. */
  attributes: Set<string>;
  unmanagedAttributePolicy: UnmanagedAttributePolicy;
}

export interface Realm {
  id: string;
  name: string;
  displayName?: string;
  enabled: boolean;
  accessTokenLifespan: number;
  ssoSessionIdleTimeout: number;
  ssoSessionMaxLifespan: number;
  accessCodeLifespan: number;
  passwordPolicy: string;
  loginWithEmailAllowed: boolean;
  registrationAllowed: boolean;
  sslRequired: 'none' | 'external' | 'all';
  defaultRoleName: string;
  realmRoles: RoleDef[];
  clientScopes: Map<string, ClientScope>;
  /** Client scopes a client created through the admin API starts with (Keycloak's realm defaults). */
  defaultDefaultClientScopes: string[];
  defaultOptionalClientScopes: string[];
  clients: ClientConfig[];
  users: UserSeed[];
  userProfile: UserProfile;
}

export function findClient(realm: Realm, clientId: string): ClientConfig | undefined {
  return realm.clients.find((c) => c.clientId === clientId);
}

export function findRealmRole(realm: Realm, name: string): RoleDef | undefined {
  return realm.realmRoles.find((r) => r.name === name);
}
