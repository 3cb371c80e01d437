// The admin REST API's front: authenticate, find the realm in the path, match a route, and turn
// AdminErrors into Keycloak's JSON error answers. The order of the checks is Keycloak's: a bad
// token is 401 even for an unknown realm; a good token then gets 404 for an unknown realm and 403
// for a realm it may not administer.
import type { IdpContext } from '../context.ts';
import type { Handler } from '../server.ts';
import { authenticate } from './auth.ts';
import { AdminError, ERRORS, sendError, sendOk } from './respond.ts';
import { bodyReader, type AdminRoute } from './request.ts';
import { listRealms, realmRoutes } from './realms.ts';
import { userRoutes } from './users.ts';
import { credentialRoutes } from './credentials.ts';
import { sessionRoutes } from './sessions.ts';
import { roleMappingRoutes } from './role-mappings.ts';
import { roleRoutes } from './roles.ts';
import { clientRoutes } from './clients.ts';
import { scopeMappingRoutes } from './scope-mappings.ts';

/** Every admin route, as the router matches them (exported for the tests that walk them all). */
export const ADMIN_ROUTES: AdminRoute[] = [...realmRoutes, ...userRoutes, ...credentialRoutes, ...sessionRoutes, ...roleMappingRoutes, ...roleRoutes, ...clientRoutes, ...scopeMappingRoutes];

interface Compiled {
  route: AdminRoute;
  segments: string[];
}

const COMPILED: Compiled[] = ADMIN_ROUTES.map((route) => ({ route, segments: route.path ? route.path.split('/') : [] }));

function match(segments: string[], pattern: string[]): Record<string, string> | undefined {
  if (segments.length !== pattern.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = segments[i]!;
    else if (p !== segments[i]) return undefined;
  }
  return params;
}

/**
 * Finds the route for a path below the realm. Literal segments win over parameters (users/count
 * before users/:id), as JAX-RS matching does.
 */
function resolve(method: string, segments: string[]): { route: AdminRoute; params: Record<string, string> } {
  const candidates = COMPILED.flatMap((c) => {
    const params = match(segments, c.segments);
    return params ? [{ route: c.route, params, literals: c.segments.filter((s) => !s.startsWith(':')).length }] : [];
  }).sort((a, b) => b.literals - a.literals);
  if (!candidates.length) throw ERRORS.noResource();
  const best = candidates.filter((c) => c.literals === candidates[0]!.literals);
  const hit = best.find((c) => c.route.method === method);
  if (!hit) throw ERRORS.methodNotAllowed();
  return hit;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // A malformed escape names no resource.
    throw ERRORS.noResource();
  }
}

export function createAdminHandler(ctx: IdpContext, publicUrl: string): Handler {
  return async (req, res, url) => {
    try {
      // Collection calls arrive with a trailing slash from the admin client (`/users/`).
      const rest = url.pathname.replace(/^\/admin\/realms\/?/, '').replace(/\/+$/, '');
      const [realmPart, ...segments] = rest === '' ? [] : rest.split('/').map(decodeSegment);
      const caller = await authenticate(ctx, publicUrl, req);
      if (realmPart === undefined) {
        if (req.method !== 'GET') throw ERRORS.methodNotAllowed();
        return sendOk(res, listRealms(caller));
      }
      const rt = ctx.realms.get(realmPart);
      if (!rt) throw ERRORS.realmNotFound();
      if (rt !== caller.realm) throw ERRORS.forbidden();
      const { route, params } = resolve(req.method ?? 'GET', segments);
      await route.handle({ req, res, url, ctx, publicUrl, caller, rt, params, body: bodyReader({ req }, route.body) });
    } catch (err) {
      if (err instanceof AdminError) return sendError(res, err.status, err.body);
      throw err;
    }
  };
}
