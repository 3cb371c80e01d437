// The signed-in user's access token for a platform call, refreshed when it is near expiry. A
// refresh the IdP refuses (SSO session ended, refresh token expired) signs the console session out.
import type { ConsoleContext } from './context.ts';
import { REFRESH_MARGIN_MS } from './oidc.ts';
import type { ConsoleSession, SessionTokens } from './sessions.ts';

export async function accessTokenFor(ctx: ConsoleContext, session: ConsoleSession, now = Date.now()): Promise<string | undefined> {
  const tokens = session.tokens;
  if (!tokens) return undefined;
  if (tokens.expiresAt - now > REFRESH_MARGIN_MS) return tokens.accessToken;
  if (!tokens.refreshToken) return tokens.expiresAt > now ? tokens.accessToken : undefined;
  session.refreshing ??= refresh(ctx, session, tokens).finally(() => {
    session.refreshing = undefined;
  });
  return (await session.refreshing)?.accessToken;
}

async function refresh(ctx: ConsoleContext, session: ConsoleSession, tokens: SessionTokens): Promise<SessionTokens | undefined> {
  try {
    session.tokens = await ctx.oidc.refresh(tokens);
    return session.tokens;
  } catch (err) {
    // invalid_grant: the IdP ended the session. Anything else may pass, so a still-valid token
    // keeps serving until it expires.
    if ((err as { error?: unknown }).error === 'invalid_grant') session.tokens = undefined;
    return session.tokens && tokens.expiresAt > Date.now() ? tokens : undefined;
  }
}
