// Keycloak's "direct access grant" (resource owner password credentials). oidc-provider dropped
// ROPC, so it is registered as a custom grant built from oidc-provider's own models: a session, a
// grant, a JWT access token, a refresh token bound to the session, and an ID token for "openid".
import type { KoaContextWithOIDC } from 'oidc-provider';
import { errors, type Provider } from './oidc-provider.ts';
import type { IdpContext, RealmRuntime } from '../context.ts';
import { checkPassword } from '../passwords.ts';
import { mapperClaims } from './claims.ts';
import { KC_ERRORS } from './keycloak-texts.ts';
import { KEYCLOAK_RESOURCE, resourceServerInfo } from './provider.ts';

class KeycloakInvalidGrant extends errors.InvalidGrant {
  constructor(description: string) {
    super(description);
    // oidc-provider prefixes descriptions of its own; Keycloak's texts must go out verbatim.
    this.error_description = description;
  }
}

export function registerPasswordGrant(provider: Provider, ctx: IdpContext, rt: RealmRuntime): void {
  const { realm } = rt;
  provider.registerGrantType(
    'password',
    async (kctx: KoaContextWithOIDC) => {
      const params = kctx.oidc.params as Record<string, string | undefined>;
      const client = kctx.oidc.client!;
      const clientConfig = realm.clients.find((c) => c.clientId === client.clientId)!;
      const username = (params.username ?? '').trim().toLowerCase();
      const user =
        (await ctx.store.findUserByUsername(realm.name, username)) ??
        (realm.loginWithEmailAllowed && username.includes('@') ? await ctx.store.findUserByEmail(realm.name, username) : undefined);
      if (!user || user.serviceAccountClientId || !(await checkPassword(await ctx.store.getPassword(user.id), params.password ?? ''))) {
        throw new KeycloakInvalidGrant(KC_ERRORS.invalidUserCredentials.error_description!);
      }
      if (!user.enabled) throw new KeycloakInvalidGrant(KC_ERRORS.accountDisabled.error_description!);
      if (user.requiredActions.length) throw new KeycloakInvalidGrant(KC_ERRORS.accountNotSetUp.error_description!);

      const scope = ['openid', 'offline_access'].filter((s) => String(params.scope ?? '').split(' ').includes(s));
      const session = new provider.Session();
      session.loginAccount({ accountId: user.id });
      session.ensureClientContainer(client.clientId);
      const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
      grant.addOIDCScope(['openid', ...scope].join(' '));
      grant.addResourceScope(KEYCLOAK_RESOURCE, [...realm.clientScopes.keys()].join(' '));
      const grantId = await grant.save();
      session.grantIdFor(client.clientId, grantId);
      await session.save(realm.ssoSessionMaxLifespan);
      const sid = session.sidFor(client.clientId);
      const common = { accountId: user.id, client, grantId, gty: 'password', scope: (params.scope as string | undefined) ?? '', sid, sessionUid: session.uid, expiresWithSession: true };

      const at = new provider.AccessToken(common);
      at.resourceServer = new provider.ResourceServer(KEYCLOAK_RESOURCE, resourceServerInfo(realm));
      kctx.oidc.entity('AccessToken', at);
      const accessToken = await at.save();

      const refresh = new provider.RefreshToken({ ...common, rotations: 0, resource: KEYCLOAK_RESOURCE });
      const refreshToken = await refresh.save();

      let idToken: string | undefined;
      if (scope.includes('openid')) {
        const claims = mapperClaims(realm, clientConfig, user, 'id', String(params.scope ?? '').split(' '));
        const token = new provider.IdToken({ sub: user.id, ...claims }, { ctx: kctx });
        (token as unknown as { scope: string }).scope = 'openid';
        token.set('typ', 'ID');
        token.set('azp', client.clientId);
        token.set('sid', sid);
        idToken = String(await token.issue({ use: 'idtoken' }));
      }
      kctx.body = {
        access_token: accessToken,
        expires_in: at.expiration,
        id_token: idToken,
        refresh_token: refreshToken,
        scope: common.scope,
        token_type: 'Bearer',
      };
    },
    ['username', 'password', 'scope'],
  );
}
