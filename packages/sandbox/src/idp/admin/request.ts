// One admin API call as the route handlers see it, and the route table's shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { StoredUser } from '../store/types.ts';
import { BodyTooLargeError, readBody } from '../http.ts';
import { can, type AdminCaller } from './auth.ts';
import { AdminError, ERRORS } from './respond.ts';
import { bindJson, bindJsonList, type TypeSchema } from './json-binding.ts';

export interface AdminRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  ctx: IdpContext;
  publicUrl: string;
  caller: AdminCaller;
  /** The realm named in the path (the caller may administer it). */
  rt: RealmRuntime;
  /** Values of the route's `:name` segments. */
  params: Record<string, string>;
  /**
   * The body bound to the route's declared representation (AdminRoute.body), read once: null for a
   * JSON `null`; an unparseable or ill-typed body throws Keycloak's 400 before the handler sees it.
   */
  body(): Promise<unknown>;
}

/**
 * What a route's body binds to, as the JAX-RS method's entity parameter: one representation, or a
 * List of them. Every admin route that reads a body declares it here, so one binding layer
 * (json-binding.ts) answers every malformed, ill-typed or unknown-field body the same way.
 */
export type BodySpec = { object: TypeSchema } | { list: TypeSchema };

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below /admin/realms/{realm}, e.g. `users/:id/role-mappings/realm`; '' is the realm itself. */
  path: string;
  /** The representation the body binds to; absent when the resource method takes no entity. */
  body?: BodySpec;
  handle(r: AdminRequest): Promise<void>;
}

async function readText(r: Pick<AdminRequest, 'req'>): Promise<string> {
  try {
    return await readBody(r.req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new AdminError(413, { error: 'HTTP 413 Request Entity Too Large' });
    throw err;
  }
}

/** Reads and binds a route's body; a route without a spec binds nothing (JAX-RS ignores the entity). */
export function bodyReader(r: Pick<AdminRequest, 'req'>, spec: BodySpec | undefined): () => Promise<unknown> {
  let bound: Promise<unknown> | undefined;
  return () => (bound ??= (async () => {
    if (!spec) return undefined;
    const text = await readText(r);
    return 'list' in spec ? bindJsonList(text, spec.list) : bindJson(text, spec.object);
  })());
}

/**
 * The user in the path. An unknown id is 404 only for callers that may query users; others get
 * 403, so ids cannot be probed (Keycloak's UsersResource.user).
 */
export async function targetUser(r: AdminRequest): Promise<StoredUser> {
  const user = await r.ctx.store.getUser(r.rt.realm.name, r.params.id ?? '');
  if (!user) throw can.queryUsers(r.caller) ? ERRORS.userNotFound() : ERRORS.forbidden();
  return user;
}
