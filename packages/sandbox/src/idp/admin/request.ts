// One admin API call as the route handlers see it, and the route table's shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext, RealmRuntime } from '../context.ts';
import type { StoredUser } from '../store/types.ts';
import { BodyTooLargeError, readBody } from '../http.ts';
import { can, type AdminCaller } from './auth.ts';
import { AdminError, ERRORS } from './respond.ts';
import { bindJson, type TypeSchema } from './json-binding.ts';

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
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below /admin/realms/{realm}, e.g. `users/:id/role-mappings/realm`; '' is the realm itself. */
  path: string;
  handle(r: AdminRequest): Promise<void>;
}

async function readText(r: AdminRequest): Promise<string> {
  try {
    return await readBody(r.req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new AdminError(413, { error: 'HTTP 413 Request Entity Too Large' });
    throw err;
  }
}

/** The request body as JSON; anything unparseable is Keycloak's "Cannot parse the JSON". */
export async function readJson(r: AdminRequest): Promise<unknown> {
  const text = await readText(r);
  try {
    return JSON.parse(text);
  } catch {
    throw ERRORS.badJson();
  }
}

/** The body bound to one of Keycloak's representations (json-binding.ts); null where Keycloak would fail on it. */
export async function readRepresentation(r: AdminRequest, schema: TypeSchema): Promise<Record<string, unknown> | null> {
  return bindJson(await readText(r), schema) as Record<string, unknown> | null;
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
