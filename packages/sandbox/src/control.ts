// The sandbox-only fault control endpoint: `GET /__sandbox/faults` lists every fault with its
// description and whether it is on; `POST` with `{"on":[...],"off":[...]}` switches them and
// answers the active list. Both need `Authorization: Bearer <controlToken>`.
import { timingSafeEqual } from 'node:crypto';
import { FAULTS } from './faults/catalog.ts';
import { UnknownFaultError, type FaultSet } from './faults/fault-set.ts';
import { ApiError, invalidRequest, unauthorized } from './platform/http/errors.ts';
import type { ApiRequest, ApiResponse } from './platform/http/request.ts';
import type { ExtraRoute } from './platform/server.ts';

export const CONTROL_PATH = '/__sandbox/faults';

/** Refuses a request without `Authorization: Bearer <controlToken>` (401); shared by every sandbox-only route. */
export const controlGuard = (controlToken: string) => (r: ApiRequest) => {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(r.header('authorization') ?? '')?.[1] ?? '');
  const want = Buffer.from(controlToken);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw unauthorized('The sandbox control token is required (Authorization: Bearer <controlToken>).');
};

export function faultControlRoutes(faults: FaultSet, controlToken: string): ExtraRoute[] {
  const guard = controlGuard(controlToken);
  const list = (): ApiResponse => ({
    status: 200,
    body: { faults: FAULTS.map((f) => ({ ...f, active: faults.isOn(f.name as never) })), active: faults.list() },
  });
  return [
    { method: 'GET', path: CONTROL_PATH, handler: async (r) => (guard(r), list()) },
    {
      method: 'POST',
      path: CONTROL_PATH,
      handler: async (r) => {
        guard(r);
        const body = await r.json();
        const problems = (['on', 'off'] as const).filter((k) => body[k] !== undefined && !(Array.isArray(body[k]) && (body[k] as unknown[]).every((n) => typeof n === 'string')));
        if (problems.length) throw invalidRequest(`${problems.map((k) => `"${k}"`).join(' and ')} must be arrays of fault names.`, { fields: problems });
        try {
          return { status: 200, body: { active: faults.set({ on: body.on as string[] | undefined, off: body.off as string[] | undefined }) } };
        } catch (err) {
          if (err instanceof UnknownFaultError) {
            throw new ApiError(400, 'unknown_fault', err.message, { unknown: err.unknown, known: FAULTS.map((f) => f.name) });
          }
          throw err;
        }
      },
    },
  ];
}
