// Keycloak's token contents: the protocol mappers of the client's scopes applied to a user, for the
// access token, the ID token or userinfo, plus the scope string Keycloak reports.
import type { ClientConfig, ProtocolMapper, Realm } from '../realm/model.ts';
import type { StoredUser } from '../store/types.ts';
import { tokenRoles } from '../roles.ts';

export type ClaimTarget = 'access' | 'id' | 'userinfo' | 'introspection';

const TARGET_FLAG: Record<ClaimTarget, string> = {
  access: 'access.token.claim',
  id: 'id.token.claim',
  userinfo: 'userinfo.token.claim',
  introspection: 'introspection.token.claim',
};

/**
 * Whether a mapper writes to this target. Keycloak 25+ defaults "add to token introspection" to on
 * for mappers that do not say; a lightweight access token takes only mappers flagged for it.
 */
function mapperWanted(config: Record<string, string>, target: ClaimTarget, client: ClientConfig): boolean {
  if (target === 'access' && client.lightweightAccessToken) return config['lightweight.claim'] === 'true';
  if (target === 'introspection') return config[TARGET_FLAG.introspection] !== 'false';
  return config[TARGET_FLAG[target]] === 'true';
}

/** Client scopes in effect: the client's default scopes plus requested optional ones. */
export function activeScopes(realm: Realm, client: ClientConfig, requested: Iterable<string>): string[] {
  const req = new Set(requested);
  return [...client.defaultClientScopes, ...client.optionalClientScopes.filter((s) => req.has(s))].filter((s) => realm.clientScopes.has(s));
}

/** Keycloak's `scope` claim: "openid" when asked for, then scopes marked include.in.token.scope. */
export function scopeString(realm: Realm, client: ClientConfig, requested: Iterable<string>): string {
  const req = new Set(requested);
  const names = activeScopes(realm, client, req).filter((s) => realm.clientScopes.get(s)!.includeInTokenScope);
  if (req.has('openid')) names.push('openid');
  return [...new Set(names)].sort().join(' ');
}

function userValue(user: StoredUser, attribute: string): unknown[] {
  const builtIn: Record<string, unknown> = {
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    emailVerified: user.emailVerified,
    enabled: user.enabled,
  };
  if (attribute in builtIn) return builtIn[attribute] === undefined ? [] : [builtIn[attribute]];
  return user.attributes[attribute] ?? [];
}

function setClaim(claims: Record<string, unknown>, name: string, value: unknown): void {
  // Keycloak treats unescaped dots in claim names as nesting.
  const parts = name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
  let obj = claims;
  for (const p of parts.slice(0, -1)) obj = (obj[p] ??= {}) as Record<string, unknown>;
  obj[parts.at(-1)!] = value;
}

function convert(value: unknown, type: string | undefined): unknown {
  if (type === 'boolean') return value === true || value === 'true';
  if (type === 'long' || type === 'int') return Number(value);
  return value;
}

export function mapperClaims(realm: Realm, client: ClientConfig, user: StoredUser, target: ClaimTarget, requested: Iterable<string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  const roles = tokenRoles(realm, client, user);
  const audience = new Set<string>();
  const mappers: ProtocolMapper[] = activeScopes(realm, client, requested).flatMap((s) => realm.clientScopes.get(s)!.mappers);
  for (const m of mappers) {
    const c = m.config;
    const wanted = mapperWanted(c, target, client);
    switch (m.protocolMapper) {
      case 'oidc-usermodel-attribute-mapper':
      case 'oidc-usermodel-property-mapper': {
        if (!wanted || !c['claim.name']) break;
        const values = userValue(user, c['user.attribute'] ?? '').map((v) => convert(v, c['jsonType.label']));
        if (values.length === 0) break;
        setClaim(claims, c['claim.name'], c.multivalued === 'true' ? values : values[0]);
        break;
      }
      case 'oidc-full-name-mapper': {
        const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
        if (wanted && name) claims.name = name;
        break;
      }
      case 'oidc-usermodel-realm-role-mapper':
        if (wanted && roles.realm.length) setClaim(claims, c['claim.name'] ?? 'realm_access.roles', [...roles.realm].sort());
        break;
      case 'oidc-usermodel-client-role-mapper':
        if (!wanted) break;
        for (const [cid, names] of Object.entries(roles.client)) {
          const claimName = (c['claim.name'] ?? 'resource_access.${client_id}.roles').replace('${client_id}', cid.replace(/\./g, '\\.'));
          setClaim(claims, claimName, [...names].sort());
        }
        break;
      case 'oidc-audience-resolve-mapper':
        if (target === 'access' || target === 'introspection') for (const cid of Object.keys(roles.client)) if (cid !== client.clientId) audience.add(cid);
        break;
      case 'oidc-audience-mapper':
        if (target !== 'access' && target !== 'introspection') break;
        if (c['included.client.audience']) audience.add(c['included.client.audience']);
        if (c['included.custom.audience']) audience.add(c['included.custom.audience']);
        break;
      case 'oidc-hardcoded-claim-mapper':
        if (wanted && c['claim.name']) setClaim(claims, c['claim.name'], convert(c['claim.value'], c['jsonType.label']));
        break;
      case 'oidc-acr-mapper':
        // Every sandbox login is a password login: Keycloak's level of authentication "1".
        if (wanted) claims.acr = '1';
        break;
      default:
        // sub and session-note mappers: the protocol layer sets sub and auth_time itself.
        break;
    }
  }
  if (audience.size) claims.aud = audience.size === 1 ? [...audience][0] : [...audience].sort();
  return claims;
}

/** Claim names any mapper of the realm may produce, for oidc-provider's claim allow-list. */
export function knownClaimNames(realm: Realm): string[] {
  const names = new Set(['sub', 'sid', 'typ', 'azp', 'session_state', 'acr', 'name', 'realm_access', 'resource_access']);
  for (const scope of realm.clientScopes.values()) {
    for (const m of scope.mappers) {
      const n = m.config['claim.name'];
      if (n && !n.includes('${')) names.add(n.split(/(?<!\\)\./)[0]!);
    }
  }
  return [...names];
}
