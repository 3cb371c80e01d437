// One oidc-provider instance per realm: the certified protocol core (authorization endpoint, PKCE,
// sessions, codes, refresh and client-credentials grants, ID tokens). Everything Keycloak-specific
// (paths, claims, token response shape, login pages, logout, admin API) is built around it.
import type { Configuration, KoaContextWithOIDC, ClientMetadata } from 'oidc-provider';
import { Provider } from './oidc-provider.ts';
import { createHash } from 'node:crypto';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { ClientConfig, Realm } from '../realm/model.ts';
import { adapterFor } from './adapter.ts';
import { knownClaimNames, mapperClaims, scopeString } from './claims.ts';
import { redirectUriMatches } from './redirect-uri.ts';
import { renderProviderError } from './errors.ts';

/** The one resource every access token is issued for, so oidc-provider signs them as JWTs. */
export const KEYCLOAK_RESOURCE = 'urn:onramp:keycloak-realm';

export const LOGIN_EXECUTION = 'b1c4a6f0-3c1d-4e7e-9d1a-6a2f0c9e1a01';

export function clientMetadata(c: ClientConfig): ClientMetadata {
  // oidc-provider holds redirect URIs to absolute URLs; Keycloak's own matching (redirect-uri.ts)
  // decides which are allowed, so patterns it cannot parse are simply not registered with it.
  const absolute = (uris: string[]) => uris.filter((u) => URL.canParse(u) && !u.includes('#'));
  const redirectUris = c.standardFlowEnabled ? absolute(c.redirectUris) : [];
  const codeFlow = c.standardFlowEnabled && redirectUris.length > 0;
  const grants: string[] = [];
  if (codeFlow) grants.push('authorization_code');
  if (c.directAccessGrantsEnabled) grants.push('password');
  if (c.serviceAccountsEnabled && !c.publicClient) grants.push('client_credentials');
  if (codeFlow || c.directAccessGrantsEnabled) grants.push('refresh_token');
  return {
    client_id: c.clientId,
    client_secret: c.publicClient ? undefined : c.secret,
    token_endpoint_auth_method: c.publicClient ? 'none' : 'client_secret_basic',
    grant_types: grants,
    response_types: codeFlow ? ['code'] : [],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: codeFlow ? absolute(c.postLogoutRedirectUris) : [],
  };
}

export function resourceServerInfo(realm: Realm) {
  return {
    scope: [...realm.clientScopes.keys()].join(' ') || 'profile',
    audience: 'account',
    accessTokenTTL: realm.accessTokenLifespan,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: 'RS256' as const } },
  };
}

export function createProvider(ctx: IdpContext, rt: RealmRuntime, issuer: string): Provider {
  const { realm } = rt;
  // Looked up on every use, not captured: the admin API adds, changes and removes clients.
  const byId = { get: (clientId: string) => realm.clients.find((c) => c.clientId === clientId && !c.bearerOnly && c.enabled) };
  const realmPath = new URL(issuer).pathname;
  const cookieKey = createHash('sha256').update(rt.keys.refreshSecret).update('cookies').digest('base64url');

  // Keycloak names a client's service-account user `service-account-<clientId>`: an indexed lookup,
  // where scanning every user would cost each client-credentials token.
  const serviceAccountOf = async (clientId: string) => {
    const user = await ctx.store.findUserByUsername(realm.name, `service-account-${clientId}`.toLowerCase());
    return user?.serviceAccountClientId === clientId ? user : undefined;
  };
  const sidOf = async (sessionUid: string, clientId: string) => {
    const session = await ctx.store.oidc.findByUid('Session', sessionUid);
    return (session?.authorizations as Record<string, { sid?: string }> | undefined)?.[clientId]?.sid;
  };

  const config: Configuration = {
    adapter: adapterFor(ctx.store.oidc, (clientId) => {
      const c = byId.get(clientId);
      return c && (clientMetadata(c) as Record<string, unknown>);
    }) as unknown as Configuration['adapter'],
    clients: [],
    jwks: { keys: [rt.keys.signingJwk as never] },
    cookies: {
      keys: [cookieKey],
      names: { session: 'KEYCLOAK_IDENTITY', interaction: 'KC_INTERACTION', resume: 'KC_RESUME' },
      long: { httpOnly: true, sameSite: 'lax', path: `${realmPath}/` } as never,
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/oidc-provider-jwks',
      userinfo: '/protocol/openid-connect/oidc-provider-userinfo',
      end_session: '/protocol/openid-connect/oidc-provider-logout',
    },
    scopes: ['openid', 'offline_access', ...realm.clientScopes.keys()],
    // Keycloak puts every mapped claim into the ID token; no claim is held back for userinfo.
    claims: { openid: ['sub', ...knownClaimNames(realm), 'typ', 'azp', 'session_state', 'preferred_username', 'email', 'email_verified'] },
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Introspection and revocation are Keycloak's own (introspection.ts, revocation.ts): they must
      // understand the JWT access and wrapped refresh tokens, which oidc-provider's refuse.
      introspection: { enabled: false },
      revocation: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => KEYCLOAK_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => resourceServerInfo(realm),
      },
    },
    pkce: {
      // Keycloak requires PKCE only where the client is configured for it; public clients included.
      required: (_ctx, client) => !!byId.get(client.clientId)?.pkceMethod,
    },
    responseTypes: ['code', 'none'],
    ttl: {
      AccessToken: realm.accessTokenLifespan,
      ClientCredentials: realm.accessTokenLifespan,
      IdToken: realm.accessTokenLifespan,
      AuthorizationCode: realm.accessCodeLifespan,
      RefreshToken: realm.ssoSessionIdleTimeout,
      Interaction: 1800,
      Session: realm.ssoSessionMaxLifespan,
      Grant: realm.ssoSessionMaxLifespan,
    },
    // Keycloak keeps refresh tokens valid after use unless "revoke refresh token" is on (off by default).
    rotateRefreshToken: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => true,
    // Consent is off for Keycloak clients by default: grant what the client asks for within its scopes.
    loadExistingGrant: async (kctx: KoaContextWithOIDC) => {
      const { oidc } = kctx;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(clientId);
      const grant = (grantId && (await oidc.provider.Grant.find(grantId))) || new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId! });
      const requested = String(oidc.params!.scope ?? 'openid');
      grant.addOIDCScope(requested);
      grant.addResourceScope(KEYCLOAK_RESOURCE, [...realm.clientScopes.keys()].join(' '));
      await grant.save();
      return grant;
    },
    findAccount: async (_kctx, sub) => {
      const user = await ctx.store.getUser(realm.name, sub);
      if (!user || !user.enabled) return undefined;
      return {
        accountId: sub,
        async claims(use, scope) {
          const kc = (_kctx as KoaContextWithOIDC).oidc;
          const client = byId.get(kc.client?.clientId ?? '');
          if (!client) return { sub };
          const requested = String(scope ?? '').split(' ');
          const target = use === 'id_token' ? 'id' : 'userinfo';
          const claims = mapperClaims(realm, client, user, target, requested);
          if (use !== 'id_token') return { sub, ...claims };
          const code = kc.entities.AuthorizationCode ?? kc.entities.RefreshToken;
          const sid = code?.sessionUid ? await sidOf(code.sessionUid, client.clientId) : undefined;
          return { sub, ...claims, typ: 'ID', azp: client.clientId, sid };
        },
      };
    },
    formats: {
      customizers: {
        // Access tokens carry Keycloak's claims: typ, azp, sid, scope string, roles and mapped attributes.
        jwt: async (kctx, token, jwt) => {
          const t = token as unknown as { clientId: string; accountId?: string; sid?: string; sessionUid?: string; scope?: string; kind: string; grantId?: string };
          // Code-flow tokens know their session by uid only; Keycloak's sid is the session's id for the client.
          if (!t.sid && t.sessionUid) t.sid = await sidOf(t.sessionUid, t.clientId);
          const client = byId.get(t.clientId);
          const serviceAccount = t.kind === 'ClientCredentials';
          const user = serviceAccount
            ? await serviceAccountOf(t.clientId)
            : t.accountId ? await ctx.store.getUser(realm.name, t.accountId) : undefined;
          const requested = await requestedScopes(kctx as KoaContextWithOIDC, t);
          const p = jwt.payload as Record<string, unknown>;
          jwt.header = { typ: 'JWT' };
          delete p.client_id;
          const claims = client && user ? mapperClaims(realm, client, user, 'access', requested) : {};
          Object.assign(p, claims, {
            sub: user?.id ?? p.sub,
            typ: 'Bearer',
            azp: t.clientId,
            sid: t.sid,
            acr: '1',
            scope: client ? scopeString(realm, client, requested) : p.scope,
            ...(serviceAccount ? { client_id: t.clientId } : {}),
          });
          // oidc-provider insists on an audience; Keycloak's default realms always have "account".
          p.aud = claims.aud ?? 'account';
        },
      },
    },
    interactions: {
      url: async (_kctx, interaction) => {
        const params = interaction.params as Record<string, string>;
        const q = new URLSearchParams({
          session_code: interaction.uid,
          execution: LOGIN_EXECUTION,
          client_id: params.client_id ?? '',
          tab_id: interaction.uid.slice(0, 11),
          client_data: clientData(params),
        });
        return `${realmPath}/login-actions/authenticate?${q}`;
      },
    },
    renderError: async (kctx, out, error) => renderProviderError(kctx, out, error, realm),
    clientBasedCORS: () => true,
    allowOmittingSingleRegisteredRedirectUri: false,
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] } as never,
  };

  const provider = new Provider(issuer, config);
  provider.proxy = true;
  // Keycloak allows a trailing "*" wildcard in registered redirect URIs.
  const base = provider.Client.prototype as unknown as { redirectUriAllowed(uri: string): boolean; redirectUris?: string[] };
  base.redirectUriAllowed = function (this: { clientId: string }, uri: string) {
    const client = byId.get(this.clientId);
    return !!client && client.redirectUris.some((pattern) => redirectUriMatches(pattern, uri));
  };
  return provider;
}

async function requestedScopes(kctx: KoaContextWithOIDC | undefined, t: { scope?: string; grantId?: string }): Promise<string[]> {
  const fromParams = kctx?.oidc?.params?.scope;
  const fromCode = kctx?.oidc?.entities?.AuthorizationCode?.scope ?? kctx?.oidc?.entities?.RefreshToken?.scope;
  return String(fromCode ?? fromParams ?? t.scope ?? '').split(' ').filter(Boolean);
}

/** Keycloak's client_data: base64url JSON of redirect uri, response type and state. */
export function clientData(params: Record<string, string | undefined>): string {
  return Buffer.from(JSON.stringify({ ru: params.redirect_uri, rt: params.response_type, st: params.state })).toString('base64url');
}

export function parseClientData(value: string | null): { ru?: string; rt?: string; st?: string } | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}
