// The IdP's front door: routes Keycloak's URL space to the admin API, the realm's OpenID Connect
// endpoints and login pages, and the theme resources; applies the runtime fault switches first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from './context.ts';
import { sendJson } from './http.ts';
import { ClientAbortError } from '../http/read-body.ts';
import { policyHeaders } from './oidc/header-policy.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface Routes {
  admin: Handler;
  /** Everything under /realms/{realm}/ for a known realm. */
  realm: (realmName: string) => Handler | undefined;
  resources: Handler;
}

export function createRequestListener(ctx: IdpContext, routes: Routes) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://idp.invalid');
      if (ctx.faults.slowMs > 0 && !(await delay(req, ctx.faults.slowMs))) return;
      if (ctx.faults.down) {
        // What a Keycloak behind a load balancer with no healthy backend answers.
        res.writeHead(503, { 'Content-Type': 'text/plain', Connection: 'close' });
        res.end('no healthy upstream');
        return;
      }
      const path = url.pathname;
      if (path.startsWith('/admin/realms')) return await routes.admin(req, res, url);
      if (path.startsWith('/resources/')) return await routes.resources(req, res, url);
      const m = /^\/realms\/([^/]+)(\/.*)?$/.exec(path);
      if (m) {
        const handler = routes.realm(decodeURIComponent(m[1]!));
        if (handler) return await handler(req, res, url);
        return sendJson(res, 404, { error: 'Realm does not exist' }, policyHeaders('realm', 'unknown'));
      }
      if (path === '/' || path === '/health' || path === '/health/ready') {
        return sendJson(res, 200, { status: 'UP', checks: [] });
      }
      sendJson(res, 404, { error: 'Unable to find matching target resource method' });
    } catch (err) {
      // A client that gave up waiting (onramp naming a slow IdP) is no server failure: nobody is left to answer.
      if (err instanceof ClientAbortError) return;
      // A handler bug must not take the process down; Keycloak answers unknown_error too.
      process.emitWarning(`idp: unhandled error on ${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'unknown_error', error_description: 'For more on this error consult the server log.' });
      else res.destroy();
    }
  };
}

/**
 * The slow fault's delay; resolves false at once when the client goes away meanwhile (no one to
 * answer, and no timer left holding a closing server's process up).
 */
function delay(req: IncomingMessage, ms: number): Promise<boolean> {
  if (req.socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      req.socket.off('close', gone);
      resolve(true);
    }, ms);
    req.socket.once('close', gone);
  });
}
