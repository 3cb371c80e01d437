// GET /: the login page when signed out, otherwise the shell rendered from the platform's
// /api/v1/session and the first snapshot of the Settings lists the role can change.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessTokenFor } from './access-token.ts';
import type { ConsoleContext } from './context.ts';
import { readSessionCookie } from './cookies.ts';
import { sendHtml } from './http.ts';
import { renderLoginPage, SIGNED_OUT_QUERY } from './pages/login.ts';
import { renderShell } from './pages/shell.ts';
import { loadShellView } from './shell-data.ts';

export async function handleShell(ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const session = ctx.sessions.get(readSessionCookie(req));
  const token = session ? await accessTokenFor(ctx, session) : undefined;
  if (!session?.tokens || !token) return sendHtml(res, 200, renderLoginPage({ signedOut: url.search === `?${SIGNED_OUT_QUERY}` }));
  const view = await loadShellView(ctx, token, session.tokens.claims);
  // The page carries the platform's correlation id it was rendered from, as the API routes do:
  // a browser check that fails on what the page shows has an id to look the logs up by.
  sendHtml(res, 200, renderShell(view), view.correlationId ? { 'X-Correlation-ID': view.correlationId } : {});
}
