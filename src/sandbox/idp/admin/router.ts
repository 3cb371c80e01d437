// Placeholder until the admin REST API lands: answers 404 like an unknown resource.
import type { IdpContext } from '../context.ts';
import type { Handler } from '../server.ts';
import { sendJson } from '../http.ts';

export function createAdminHandler(_ctx: IdpContext, _publicUrl: string): Handler {
  return async (_req, res) => sendJson(res, 404, { error: 'Unable to find matching target resource method' });
}
