// /auth/login, /auth/callback and /auth/logout: the console's side of the code flow, and logout
// through Keycloak's end-session so the SSO session ends with the console session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleContext } from './context.ts';
import { expiredSessionCookie, readSessionCookie, sessionCookie } from './cookies.ts';
import { redirect, sendHtml } from './http.ts';
import { renderLoginPage, SIGNED_OUT_QUERY } from './pages/login.ts';
import { renderMessagePage } from './pages/message.ts';

export async function handleLogin(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const switchUser = url.searchParams.get('switch') === '1';
  const existing = ctx.sessions.get(readSessionCookie(req));
  if (existing?.tokens && !switchUser) return redirect(res, '/');
  const session = existing ?? ctx.sessions.create();
  const { url: authorizationUrl, pending } = await ctx.oidc.startLogin(switchUser);
  session.pending = pending;
  redirect(res, authorizationUrl.toString(), { 'Set-Cookie': sessionCookie(session.id, ctx.secure) });
}

export async function handleCallback(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const previous = ctx.sessions.get(readSessionCookie(req));
  const pending = previous?.pending;
  const failed = (message: string) => sendHtml(res, 400, renderLoginPage({ error: message }));
  const idpError = url.searchParams.get('error');
  if (idpError) {
    if (previous) previous.pending = undefined;
    return failed(`Sign-in did not complete: ${url.searchParams.get('error_description') ?? idpError}.`);
  }
  if (!previous || !pending) return failed('This sign-in has expired or was started in another browser. Sign in again.');
  if (url.searchParams.get('state') !== pending.state) return failed('This sign-in does not match the one the console started. Sign in again.');
  previous.pending = undefined;
  let tokens;
  try {
    // openid-client takes the redirect_uri from this URL, so it must be the registered callback.
    tokens = await ctx.oidc.finishLogin(new URL(`${ctx.url}/auth/callback${url.search}`), pending);
  } catch (err) {
    const e = err as { error?: unknown; error_description?: unknown; message?: string };
    return failed(`Sign-in failed: ${String(e.error_description ?? e.error ?? e.message ?? 'unknown error')}.`);
  }
  // A new id once signed in, so an id planted before login is worth nothing afterwards.
  ctx.sessions.delete(previous.id);
  const session = ctx.sessions.create();
  session.tokens = tokens;
  redirect(res, '/', { 'Set-Cookie': sessionCookie(session.id, ctx.secure) });
}

export async function handleLogout(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = ctx.sessions.get(readSessionCookie(req));
  const idToken = session?.tokens?.idToken;
  if (session) ctx.sessions.delete(session.id);
  const cleared = { 'Set-Cookie': expiredSessionCookie(ctx.secure) };
  // Back on the sign-in page, which confirms the sign-out (SIGNED_OUT_QUERY).
  const landing = `${ctx.url}/?${SIGNED_OUT_QUERY}`;
  if (!idToken || ctx.config.faults.isOn('logout_skips_end_session')) return redirect(res, landing, cleared);
  let endSession: URL;
  try {
    endSession = await ctx.oidc.endSessionUrl(idToken, landing);
  } catch {
    return sendHtml(
      res,
      502,
      renderMessagePage('Signed out of the console only', 'The identity provider could not be reached, so its single sign-on session may still be active. Close the browser or sign out again later.', { retry: true }),
      cleared,
    );
  }
  redirect(res, endSession.toString(), cleared);
}
