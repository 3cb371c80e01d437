// Loads a Keycloak realm-export JSON into the sandbox's realm model. Placeholders follow Keycloak's
// import syntax, `${NAME}` or `${NAME:default}`, resolved from the given vars, then the environment.
// Every problem is collected and reported together, each named by its JSON path.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { ClientConfig, ClientScope, ProtocolMapper, Realm, RoleDef, UserSeed } from './model.ts';
import { parsePasswordPolicy } from './password-policy.ts';

export class RealmFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the realm file:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RealmFileError';
  }
}

/** Mapper types the sandbox knows how to apply; anything else would silently change tokens. */
export const SUPPORTED_MAPPERS = new Set([
  'oidc-usermodel-attribute-mapper',
  'oidc-usermodel-property-mapper',
  'oidc-full-name-mapper',
  'oidc-usermodel-realm-role-mapper',
  'oidc-usermodel-client-role-mapper',
  'oidc-audience-resolve-mapper',
  'oidc-audience-mapper',
  'oidc-sub-mapper',
  'oidc-usersessionmodel-note-mapper',
  'oidc-hardcoded-claim-mapper',
  'oidc-acr-mapper',
  // Adds allowed-origins from the client's web origins; the sandbox serves no CORS, so it adds nothing.
  'oidc-allowed-origins-mapper',
]);

export async function loadRealmFile(file: string, vars: Record<string, string | undefined> = {}): Promise<Realm> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RealmFileError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(substitute(text, vars));
  } catch (err) {
    throw new RealmFileError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  const problems: string[] = [];
  const realm = parseRealm(raw, problems);
  if (problems.length || !realm) throw new RealmFileError(file, problems.length ? problems : ['not a realm export']);
  return realm;
}

function substitute(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z][A-Z0-9_]*)(?::([^}]*))?\}/g, (whole, name: string, def?: string) => {
    const v = vars[name] ?? process.env[name] ?? def;
    // Keycloak leaves unknown placeholders untouched; JSON-escape what we put in.
    return v === undefined ? whole : JSON.stringify(v).slice(1, -1);
  });
}

/** Stable ids derived from names, so a realm loaded twice (or restarted on a database) keeps its ids. */
export function stableId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseRealm(raw: unknown, problems: string[]): Realm | undefined {
  if (!isObj(raw)) {
    problems.push('$: expected a JSON object');
    return undefined;
  }
  const r = new Reader(raw, '$', problems);
  const name = r.str('realm', { required: true }) ?? '';
  const id = r.str('id') ?? name;
  const passwordPolicy = r.str('passwordPolicy') ?? '';
  const parsedPolicy = parsePasswordPolicy(passwordPolicy);
  for (const p of parsedPolicy.problems) problems.push(`$.passwordPolicy: ${p}`);

  const clientsRaw = r.arr('clients') ?? [];
  const clientUuid = (clientId: string) => stableId(name, 'client', clientId);
  const roles = isObj(raw.roles) ? raw.roles : {};
  const realmRoles = parseRoles(roles.realm, '$.roles.realm', id, false, problems);
  const clientRolesRaw = isObj(roles.client) ? roles.client : {};

  const clientScopes = new Map<string, ClientScope>();
  (r.arr('clientScopes') ?? []).forEach((s, i) => {
    const path = `$.clientScopes[${i}]`;
    if (!isObj(s)) return problems.push(`${path}: expected an object`);
    const sr = new Reader(s, path, problems);
    const scopeName = sr.str('name', { required: true }) ?? '';
    const attrs = isObj(s.attributes) ? s.attributes : {};
    clientScopes.set(scopeName, {
      name: scopeName,
      includeInTokenScope: attrs['include.in.token.scope'] !== 'false',
      mappers: parseMappers(s.protocolMappers, `${path}.protocolMappers`, problems),
    });
  });
  const defaultScopes = (r.arr('defaultDefaultClientScopes') as string[] | undefined) ?? [];

  const clients: ClientConfig[] = clientsRaw.map((c, i) => {
    const path = `$.clients[${i}]`;
    const cr = new Reader(isObj(c) ? c : {}, path, problems);
    const clientId = cr.str('clientId', { required: true }) ?? '';
    const attrs = (isObj((c as Obj).attributes) ? (c as Obj).attributes : {}) as Record<string, string>;
    const redirectUris = (cr.arr('redirectUris') as string[] | undefined) ?? [];
    const post = attrs['post.logout.redirect.uris'];
    const pkce = attrs['pkce.code.challenge.method'];
    if (pkce && pkce !== 'S256' && pkce !== 'plain') problems.push(`${path}.attributes.pkce.code.challenge.method: expected S256 or plain, got "${pkce}"`);
    const uuid = clientUuid(clientId);
    const client: ClientConfig = {
      id: uuid,
      clientId,
      name: cr.str('name'),
      enabled: cr.bool('enabled') ?? true,
      publicClient: cr.bool('publicClient') ?? false,
      bearerOnly: cr.bool('bearerOnly') ?? false,
      secret: cr.str('secret'),
      standardFlowEnabled: cr.bool('standardFlowEnabled') ?? true,
      directAccessGrantsEnabled: cr.bool('directAccessGrantsEnabled') ?? false,
      serviceAccountsEnabled: cr.bool('serviceAccountsEnabled') ?? false,
      implicitFlowEnabled: cr.bool('implicitFlowEnabled') ?? false,
      fullScopeAllowed: cr.bool('fullScopeAllowed') ?? true,
      lightweightAccessToken: attrs['client.use.lightweight.access.token.enabled'] === 'true',
      scopeMappings: scopeMappingsOf(raw, clientId),
      attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])),
      webOrigins: (cr.arr('webOrigins') as string[] | undefined) ?? [],
      frontchannelLogout: cr.bool('frontchannelLogout') ?? false,
      nodeReRegistrationTimeout: cr.num('nodeReRegistrationTimeout') ?? -1,
      redirectUris,
      // Keycloak: "+" means "same as the redirect URIs"; entries are separated by "##".
      postLogoutRedirectUris: post === undefined ? [] : post.split('##').flatMap((u) => (u === '+' ? redirectUris : [u])),
      pkceMethod: pkce as ClientConfig['pkceMethod'],
      defaultClientScopes: (cr.arr('defaultClientScopes') as string[] | undefined) ?? defaultScopes,
      optionalClientScopes: (cr.arr('optionalClientScopes') as string[] | undefined) ?? [],
      roles: parseRoles(clientRolesRaw[clientId], `$.roles.client.${clientId}`, uuid, true, problems),
    };
    if (!client.publicClient && !client.bearerOnly && !client.secret) problems.push(`${path}.secret: a confidential client needs a secret`);
    for (const s of [...client.defaultClientScopes, ...client.optionalClientScopes]) {
      if (!clientScopes.has(s) && !['web-origins', 'acr', 'microprofile-jwt', 'organization', 'address', 'phone'].includes(s)) {
        problems.push(`${path}: client scope "${s}" is not defined in $.clientScopes`);
      }
    }
    return client;
  });
  for (const key of Object.keys(clientRolesRaw)) {
    if (!clients.some((c) => c.clientId === key)) problems.push(`$.roles.client.${key}: no client with that clientId`);
  }

  const users = (r.arr('users') ?? []).map((u, i) => parseUser(u, `$.users[${i}]`, problems));
  const roleExists = (n: string) => realmRoles.some((x) => x.name === n);
  users.forEach((u, i) => {
    for (const role of u.realmRoles) if (!roleExists(role)) problems.push(`$.users[${i}].realmRoles: unknown realm role "${role}"`);
    for (const [cid, names] of Object.entries(u.clientRoles)) {
      const client = clients.find((c) => c.clientId === cid);
      if (!client) problems.push(`$.users[${i}].clientRoles.${cid}: unknown client`);
      else for (const n of names) if (!client.roles.some((x) => x.name === n)) problems.push(`$.users[${i}].clientRoles.${cid}: unknown role "${n}"`);
    }
    if (u.serviceAccountClientId && !clients.some((c) => c.clientId === u.serviceAccountClientId && c.serviceAccountsEnabled)) {
      problems.push(`$.users[${i}].serviceAccountClientId: "${u.serviceAccountClientId}" is not a client with service accounts enabled`);
    }
    // Keycloak's own naming, which the token endpoint looks service accounts up by.
    if (u.serviceAccountClientId && u.username !== `service-account-${u.serviceAccountClientId}`.toLowerCase()) {
      problems.push(`$.users[${i}].username: a service account of "${u.serviceAccountClientId}" must be named "service-account-${u.serviceAccountClientId.toLowerCase()}"`);
    }
  });

  const defaultRole = isObj(raw.defaultRole) ? String(raw.defaultRole.name ?? '') : `default-roles-${name}`;
  if (!roleExists(defaultRole)) problems.push(`$.defaultRole.name: realm role "${defaultRole}" is not defined`);

  return {
    id,
    name,
    displayName: r.str('displayName'),
    enabled: r.bool('enabled') ?? true,
    accessTokenLifespan: r.num('accessTokenLifespan') ?? 300,
    ssoSessionIdleTimeout: r.num('ssoSessionIdleTimeout') ?? 1800,
    ssoSessionMaxLifespan: r.num('ssoSessionMaxLifespan') ?? 36000,
    accessCodeLifespan: r.num('accessCodeLifespan') ?? 60,
    passwordPolicy,
    loginWithEmailAllowed: r.bool('loginWithEmailAllowed') ?? true,
    registrationAllowed: r.bool('registrationAllowed') ?? false,
    sslRequired: sslRequiredOf(r.str('sslRequired'), problems),
    defaultRoleName: defaultRole,
    realmRoles,
    clientScopes,
    defaultDefaultClientScopes: defaultScopes,
    defaultOptionalClientScopes: (r.arr('defaultOptionalClientScopes') as string[] | undefined) ?? [],
    clients,
    users,
    userProfile: parseUserProfile(raw.components, problems),
  };
}

function sslRequiredOf(value: string | undefined, problems: string[]): Realm['sslRequired'] {
  if (value === undefined) return 'external';
  if (value === 'none' || value === 'external' || value === 'all') return value;
  problems.push(`$.sslRequired: expected none, external or all, got "${value}"`);
  return 'external';
}

/** A client's scope mappings from the export's `scopeMappings` (realm roles) and `clientScopeMappings` (client roles). */
function scopeMappingsOf(raw: Obj, clientId: string): string[] {
  const realmSide = (Array.isArray(raw.scopeMappings) ? raw.scopeMappings : [])
    .filter((m): m is Obj => isObj(m) && m.client === clientId)
    .flatMap((m) => (Array.isArray(m.roles) ? m.roles.map((r) => `realm:${String(r)}`) : []));
  const clientSide = Object.entries(isObj(raw.clientScopeMappings) ? raw.clientScopeMappings : {}).flatMap(([owner, list]) =>
    (Array.isArray(list) ? list : [])
      .filter((m): m is Obj => isObj(m) && m.client === clientId)
      .flatMap((m) => (Array.isArray(m.roles) ? m.roles.map((r) => `client:${owner}:${String(r)}`) : [])),
  );
  return [...realmSide, ...clientSide];
}

function parseRoles(raw: unknown, path: string, containerId: string, clientRole: boolean, problems: string[]): RoleDef[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${path}: expected an array`);
    return [];
  }
  return raw.map((x, i) => {
    const rr = new Reader(isObj(x) ? x : {}, `${path}[${i}]`, problems);
    const roleName = rr.str('name', { required: true }) ?? '';
    const comp = isObj((x as Obj).composites) ? ((x as Obj).composites as Obj) : {};
    const composites = [
      ...((Array.isArray(comp.realm) ? comp.realm : []) as string[]).map((n) => `realm:${n}`),
      ...Object.entries(isObj(comp.client) ? comp.client : {}).flatMap(([cid, names]) => (names as string[]).map((n) => `client:${cid}:${n}`)),
    ];
    return {
      id: stableId(containerId, 'role', roleName),
      name: roleName,
      description: rr.str('description'),
      composite: rr.bool('composite') ?? composites.length > 0,
      clientRole,
      containerId,
      composites,
      attributes: stringLists(isObj(x) ? (x as Obj).attributes : undefined),
    };
  });
}

/** Keycloak's attribute maps: name -> list of strings (a lone value read as a one-element list). */
function stringLists(raw: unknown): Record<string, string[]> {
  if (!isObj(raw)) return {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]));
}

function parseMappers(raw: unknown, path: string, problems: string[]): ProtocolMapper[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${path}: expected an array`);
    return [];
  }
  return raw.map((m, i) => {
    const mr = new Reader(isObj(m) ? m : {}, `${path}[${i}]`, problems);
    const kind = mr.str('protocolMapper', { required: true }) ?? '';
    if (kind && !SUPPORTED_MAPPERS.has(kind)) problems.push(`${path}[${i}].protocolMapper: "${kind}" is not supported by the sandbox IdP`);
    return { name: mr.str('name') ?? kind, protocolMapper: kind, config: (isObj((m as Obj).config) ? (m as Obj).config : {}) as Record<string, string> };
  });
}

function parseUser(u: unknown, path: string, problems: string[]): UserSeed {
  const ur = new Reader(isObj(u) ? u : {}, path, problems);
  const obj = (isObj(u) ? u : {}) as Obj;
  const credentials = ((Array.isArray(obj.credentials) ? obj.credentials : []) as Obj[]).flatMap((c, i) => {
    if (c.type !== 'password' || typeof c.value !== 'string') {
      problems.push(`${path}.credentials[${i}]: only {type:"password", value} credentials are supported`);
      return [];
    }
    return [{ type: 'password' as const, value: c.value, temporary: c.temporary === true }];
  });
  return {
    username: (ur.str('username', { required: true }) ?? '').toLowerCase(),
    email: ur.str('email')?.toLowerCase(),
    emailVerified: ur.bool('emailVerified') ?? false,
    firstName: ur.str('firstName'),
    lastName: ur.str('lastName'),
    enabled: ur.bool('enabled') ?? true,
    attributes: (isObj(obj.attributes) ? obj.attributes : {}) as Record<string, string[]>,
    credentials,
    requiredActions: (ur.arr('requiredActions') as string[] | undefined) ?? [],
    realmRoles: (ur.arr('realmRoles') as string[] | undefined) ?? [],
    clientRoles: (isObj(obj.clientRoles) ? obj.clientRoles : {}) as Record<string, string[]>,
    serviceAccountClientId: ur.str('serviceAccountClientId'),
  };
}

function parseUserProfile(components: unknown, problems: string[]): Realm['userProfile'] {
  const builtIn = new Set(['username', 'email', 'firstName', 'lastName']);
  const list = isObj(components) ? components['org.keycloak.userprofile.UserProfileProvider'] : undefined;
  const first = Array.isArray(list) ? (list[0] as Obj | undefined) : undefined;
  const cfg = first && isObj(first.config) ? (first.config['kc.user.profile.config'] as unknown) : undefined;
  const text = Array.isArray(cfg) ? cfg[0] : undefined;
  // A realm without a declared profile gets Keycloak 26's default: built-in attributes only.
  if (typeof text !== 'string') return { attributes: builtIn, unmanagedAttributePolicy: undefined };
  try {
    const parsed = JSON.parse(text) as { attributes?: { name: string }[]; unmanagedAttributePolicy?: string };
    const policy = parsed.unmanagedAttributePolicy;
    if (policy && !['ENABLED', 'ADMIN_VIEW', 'ADMIN_EDIT'].includes(policy)) {
      problems.push(`$.components.UserProfileProvider.kc.user.profile.config.unmanagedAttributePolicy: unknown policy "${policy}"`);
    }
    return {
      attributes: new Set([...builtIn, ...(parsed.attributes ?? []).map((a) => a.name)]),
      unmanagedAttributePolicy: policy as Realm['userProfile']['unmanagedAttributePolicy'],
    };
  } catch (err) {
    problems.push(`$.components.UserProfileProvider.kc.user.profile.config: not valid JSON (${(err as Error).message})`);
    return { attributes: builtIn, unmanagedAttributePolicy: undefined };
  }
}

/** Typed field access that records a problem named by path instead of throwing. */
class Reader {
  constructor(
    private o: Obj,
    private path: string,
    private problems: string[],
  ) {}
  private get<T>(key: string, type: string, required: boolean): T | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) {
      if (required) this.problems.push(`${this.path}.${key}: required`);
      return undefined;
    }
    const ok = type === 'array' ? Array.isArray(v) : typeof v === type;
    if (!ok) {
      this.problems.push(`${this.path}.${key}: expected ${type}, got ${Array.isArray(v) ? 'array' : typeof v}`);
      return undefined;
    }
    return v as T;
  }
  str(key: string, o: { required?: boolean } = {}) {
    return this.get<string>(key, 'string', !!o.required);
  }
  bool(key: string) {
    return this.get<boolean>(key, 'boolean', false);
  }
  num(key: string) {
    return this.get<number>(key, 'number', false);
  }
  arr(key: string) {
    return this.get<unknown[]>(key, 'array', false);
  }
}
