import type { IdpContext, RealmRuntime } from '../context.ts';
import type { Handler } from '../server.ts';
import { sendJson } from '../http.ts';

export function createRealmHandler(_ctx: IdpContext, _rt: RealmRuntime, _url: string): Handler {
  return async (_req, res) => sendJson(res, 404, { error: 'not yet' });
}
