// createConsoleServer: the sandbox's web console. It listens before it is configured, because the
// IdP's realm needs the console's URL for its redirect URIs; until `configure` every request gets
// a 503.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleConfig } from './config.ts';
import type { ConsoleContext } from './context.ts';
import { handleApi } from './api-routes.ts';
import { loadAssets } from './assets.ts';
import { handleCallback, handleLogin, handleLogout } from './auth-routes.ts';
import { send, sendHtml, sendJson } from './http.ts';
import { ConsoleOidc, IdpUnavailableError } from './oidc.ts';
import { renderMessagePage, notConfiguredPage } from './pages/message.ts';
import { SessionStore } from './sessions.ts';
import { handleShell } from './shell-route.ts';

export type { ConsoleConfig } from './config.ts';

export interface ConsoleServerOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  host?: string;
  /** Externally visible base URL; default http://HOST:PORT. */
  publicUrl?: string;
}

export interface RunningConsole {
  url: string;
  configure(config: ConsoleConfig): void;
  close(): Promise<void>;
}

type Route = (ctx: ConsoleContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const PAGES: Record<string, { methods: string[]; handler: Route }> = {
  '/': { methods: ['GET'], handler: handleShell },
  '/auth/login': { methods: ['GET'], handler: handleLogin },
  '/auth/callback': { methods: ['GET'], handler: handleCallback },
  '/auth/logout': { methods: ['GET', 'POST'], handler: (ctx, req, res) => handleLogout(ctx, req, res) },
};

export async function createConsoleServer(options: ConsoleServerOptions = {}): Promise<RunningConsole> {
  const assets = loadAssets();
  let ctx: ConsoleContext | undefined;
  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      // Messages only: errors here can carry token endpoint responses, never worth a log line.
      const message = err instanceof IdpUnavailableError ? 'The identity provider cannot be reached. Try again in a moment.' : 'The console failed to handle this request.';
      const status = err instanceof IdpUnavailableError ? 502 : 500;
      if (isApi(req)) sendJson(res, status, { code: status === 502 ? 'idp_unavailable' : 'console_error', message });
      else sendHtml(res, status, renderMessagePage('Something went wrong', message, { retry: true }));
    });
  });
  server.keepAliveTimeout = 5_000;

  const isApi = (req: IncomingMessage) => (req.url ?? '').startsWith('/app/api/');

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const method = req.method ?? 'GET';
    const asset = assets.get(url.pathname);
    if (asset && (method === 'GET' || method === 'HEAD')) return send(res, 200, asset.body, { 'Content-Type': asset.type });
    if (!ctx) {
      if (isApi(req)) return sendJson(res, 503, { code: 'console_not_configured', message: 'The console is starting.' }, { 'Retry-After': '1' });
      return sendHtml(res, 503, notConfiguredPage(), { 'Retry-After': '1' });
    }
    if (url.pathname.startsWith('/app/api/')) return handleApi(ctx, req, res, url);
    const page = PAGES[url.pathname];
    if (!page) return sendHtml(res, 404, renderMessagePage('Not found', 'There is no such console page.', { retry: true }));
    if (!page.methods.includes(method)) return sendHtml(res, 405, renderMessagePage('Not allowed', `${method} is not allowed here.`, { retry: true }), { Allow: page.methods.join(', ') });
    return page.handler(ctx, req, res, url);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = (options.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, '');

  return {
    url,
    configure(config) {
      // Sessions hold tokens of the previous issuer: a reconfigured console starts signed out.
      ctx = { url, config, oidc: new ConsoleOidc(config, `${url}/auth/callback`), sessions: new SessionStore(), secure: url.startsWith('https:') };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
