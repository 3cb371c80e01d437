// How the admin API answers, header for header as Keycloak 26 does: successful JSON carries
// `application/json;charset=UTF-8` and `Cache-Control: no-cache` (the @NoCache resources), errors a
// bare `application/json` and no cache header. Every error body the API uses lives here.
import type { ServerResponse } from 'node:http';
import { send } from '../http.ts';

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

export const ERRORS = {
  unauthorized: () => new AdminError(401, { error: 'HTTP 401 Unauthorized' }),
  forbidden: () => new AdminError(403, { error: 'HTTP 403 Forbidden' }),
  realmNotFound: () => new AdminError(404, { error: 'Realm not found.' }),
  userNotFound: () => new AdminError(404, { error: 'User not found' }),
  roleNotFound: () => new AdminError(404, { error: 'Could not find role' }),
  clientNotFound: () => new AdminError(404, { error: 'Could not find client' }),
  noResource: () => new AdminError(404, { error: 'Unable to find matching target resource method' }),
  methodNotAllowed: () => new AdminError(405, { error: 'HTTP 405 Method Not Allowed' }),
  badJson: () => new AdminError(400, { error: 'invalid_request', error_description: 'Cannot parse the JSON' }),
  /** JSON that does not bind: a value of the wrong type, an array for an object. */
  badType: () => new AdminError(400, { error: 'unknown_error', error_description: 'Cannot parse the JSON' }),
  /** What Keycloak's error handler answers to an unexpected exception, e.g. a `null` representation. */
  serverError: () => new AdminError(500, { error: 'unknown_error', error_description: 'For more on this error consult the server log.' }),
  clientOfMappingNotFound: () => new AdminError(404, { error: 'Client not found' }),
};

export function sendOk(res: ServerResponse, body: unknown): void {
  send(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache' });
}

export function sendError(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

/** 204; `noCache` for the resources Keycloak marks @NoCache (DELETE users/{id}). */
export function sendNoContent(res: ServerResponse, noCache = false): void {
  send(res, 204, undefined, noCache ? { 'Cache-Control': 'no-cache' } : {});
}

export function sendCreated(res: ServerResponse, location: string): void {
  send(res, 201, '', { Location: location });
}
