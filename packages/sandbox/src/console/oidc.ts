// The console as an OpenID Connect client of the realm: authorization code flow with PKCE (S256),
// refresh near expiry, and RP-initiated logout. Discovery runs on first use and is retried after a
// failure, because the IdP may come up (or come back) after the console.
import * as oidc from 'openid-client';
import type { ConsoleConfig } from './config.ts';
import type { PendingLogin, SessionTokens } from './sessions.ts';

/** Refresh when less than this is left, so a page render never carries a token about to die. */
export const REFRESH_MARGIN_MS = 60_000;

export class IdpUnavailableError extends Error {}

export class ConsoleOidc {
  private discovered?: Promise<oidc.Configuration>;

  constructor(
    private readonly config: ConsoleConfig,
    private readonly callbackUrl: string,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(new URL(this.config.issuer), this.config.clientId, this.config.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] })
      .catch((err: unknown) => {
        this.discovered = undefined;
        throw new IdpUnavailableError(`OpenID discovery at ${this.config.issuer} failed: ${(err as Error).message}`, { cause: err });
      });
    return this.discovered;
  }

  /** The authorization URL and what the callback must check; `switchUser` asks Keycloak for a fresh login. */
  async startLogin(switchUser: boolean): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl,
      scope: 'openid profile email',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(switchUser ? { prompt: 'login' } : {}),
    });
    return { url, pending: { state, codeVerifier, startedAt: Date.now() } };
  }

  async finishLogin(currentUrl: URL, pending: PendingLogin): Promise<SessionTokens> {
    const config = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state });
    return toSessionTokens(tokens);
  }

  /** New tokens from the refresh token; the old refresh token stays when the IdP does not rotate it. */
  async refresh(current: SessionTokens): Promise<SessionTokens> {
    if (!current.refreshToken) throw new Error('no refresh token');
    const config = await this.configuration();
    const tokens = await oidc.refreshTokenGrant(config, current.refreshToken);
    const next = toSessionTokens(tokens);
    return { ...next, refreshToken: next.refreshToken ?? current.refreshToken, idToken: next.idToken ?? current.idToken, claims: tokens.id_token ? next.claims : current.claims };
  }

  async endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<URL> {
    const config = await this.configuration();
    return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri });
  }
}

function toSessionTokens(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): SessionTokens {
  const expiresIn = tokens.expiresIn();
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token,
    // Without expires_in the token's lifetime is unknown: refresh on every use rather than never.
    expiresAt: Date.now() + (expiresIn ?? 0) * 1000,
    claims: { ...(tokens.claims() ?? {}) },
  };
}
