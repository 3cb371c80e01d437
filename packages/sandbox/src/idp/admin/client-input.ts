// ClientRepresentation bodies applied to the realm model as Keycloak 26 applies them:
// RepresentationToModel.createClient for POST (Keycloak's defaults for what the body leaves out, a
// generated secret for a confidential client, the realm's default client scopes; a missing clientId
// becomes the new id, as JpaClientProvider.addClient does) and RepresentationToModel.updateClient for
// PUT (only the fields present change; attributes merge, an empty value removes one).
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClientConfig, Realm } from '../realm/model.ts';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const bool = (v: unknown): boolean | undefined => (v === undefined || v === null ? undefined : v === true || v === 'true');
const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));
const strings = (v: unknown): string[] | undefined => (v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).filter((x) => x !== null).map(String));

/** Keycloak's client secret: 32 alphanumerics (SecretGenerator.randomString). */
function newSecret(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((b) => chars[b % chars.length]).join('');
}

/** Settings Keycloak reads from a client's attributes, kept in step whenever they change. */
export function deriveFromAttributes(c: ClientConfig): void {
  const a = c.attributes;
  c.lightweightAccessToken = a['client.use.lightweight.access.token.enabled'] === 'true';
  const pkce = a['pkce.code.challenge.method'];
  c.pkceMethod = pkce === 'S256' || pkce === 'plain' ? pkce : undefined;
  const post = a['post.logout.redirect.uris'];
  c.postLogoutRedirectUris = post === undefined ? [] : post.split('##').flatMap((u) => (u === '+' ? c.redirectUris : [u]));
}

export function newClient(realm: Realm, rep: Obj): ClientConfig {
  const id = str(rep.id) ?? randomUUID();
  const publicClient = bool(rep.publicClient) ?? false;
  const bearerOnly = bool(rep.bearerOnly) ?? false;
  const attributes = Object.fromEntries(Object.entries((rep.attributes ?? {}) as Obj).filter(([, v]) => v !== null && v !== '').map(([k, v]) => [k, String(v)]));
  const confidential = !publicClient && !bearerOnly;
  if (confidential && attributes['client.secret.creation.time'] === undefined) attributes['client.secret.creation.time'] = String(Math.floor(Date.now() / 1000));
  const client: ClientConfig = {
    id,
    clientId: str(rep.clientId) ?? id,
    name: str(rep.name),
    enabled: bool(rep.enabled) ?? true,
    publicClient,
    bearerOnly,
    secret: confidential ? (str(rep.secret) ?? newSecret()) : undefined,
    standardFlowEnabled: bool(rep.standardFlowEnabled) ?? true,
    directAccessGrantsEnabled: bool(rep.directAccessGrantsEnabled) ?? false,
    serviceAccountsEnabled: bool(rep.serviceAccountsEnabled) ?? false,
    implicitFlowEnabled: bool(rep.implicitFlowEnabled) ?? false,
    fullScopeAllowed: bool(rep.fullScopeAllowed) ?? true,
    lightweightAccessToken: false,
    scopeMappings: [],
    attributes,
    webOrigins: strings(rep.webOrigins) ?? [],
    frontchannelLogout: bool(rep.frontchannelLogout) ?? false,
    nodeReRegistrationTimeout: num(rep.nodeReRegistrationTimeout) ?? -1,
    redirectUris: strings(rep.redirectUris) ?? [],
    postLogoutRedirectUris: [],
    defaultClientScopes: (strings(rep.defaultClientScopes) ?? realm.defaultDefaultClientScopes).filter((s) => realm.clientScopes.has(s) || realm.defaultDefaultClientScopes.includes(s)),
    optionalClientScopes: (strings(rep.optionalClientScopes) ?? realm.defaultOptionalClientScopes).filter((s) => realm.clientScopes.has(s) || realm.defaultOptionalClientScopes.includes(s)),
    roles: [],
  };
  deriveFromAttributes(client);
  return client;
}

/** PUT clients/{id}: the fields present replace, attributes merge. Returns the clientId asked for. */
export function updateClient(c: ClientConfig, rep: Obj): string {
  const set = <K extends keyof ClientConfig>(key: K, value: ClientConfig[K] | undefined) => {
    if (value !== undefined) c[key] = value;
  };
  set('name', str(rep.name));
  set('enabled', bool(rep.enabled));
  set('publicClient', bool(rep.publicClient));
  set('bearerOnly', bool(rep.bearerOnly));
  set('standardFlowEnabled', bool(rep.standardFlowEnabled));
  set('directAccessGrantsEnabled', bool(rep.directAccessGrantsEnabled));
  set('serviceAccountsEnabled', bool(rep.serviceAccountsEnabled));
  set('implicitFlowEnabled', bool(rep.implicitFlowEnabled));
  set('fullScopeAllowed', bool(rep.fullScopeAllowed));
  set('frontchannelLogout', bool(rep.frontchannelLogout));
  set('nodeReRegistrationTimeout', num(rep.nodeReRegistrationTimeout));
  set('redirectUris', strings(rep.redirectUris));
  set('webOrigins', strings(rep.webOrigins));
  if (rep.secret !== undefined && rep.secret !== null) c.secret = String(rep.secret);
  if (!c.publicClient && !c.bearerOnly && !c.secret) c.secret = newSecret();
  for (const [k, v] of Object.entries((rep.attributes ?? {}) as Obj)) {
    if (v === null || String(v).trim() === '') delete c.attributes[k];
    else c.attributes[k] = String(v);
  }
  deriveFromAttributes(c);
  return str(rep.clientId) ?? c.clientId;
}
