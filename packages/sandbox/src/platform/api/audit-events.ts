// What happened, for system admins and triage: the audit log by correlation id, action or target,
// and the platform's events by type.
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import { invalidRequest } from '../http/errors.ts';
import { listAudit } from '../repo/audit.ts';
import { listEvents } from '../repo/events.ts';
import { requireSystemAdmin } from './tenants.ts';

const MAX_LIMIT = 1000;

function limit(r: ApiRequest): number {
  const raw = r.url.searchParams.get('limit');
  if (raw === null) return 200;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw invalidRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { fields: [{ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` }] });
  return n;
}

const query = (r: ApiRequest, name: string) => r.url.searchParams.get(name) ?? undefined;

const audit: ApiHandler = async (r) => {
  await requireSystemAdmin(r);
  const entries = await listAudit(r.platform.pool, {
    correlationId: query(r, 'correlation_id'),
    action: query(r, 'action'),
    targetId: query(r, 'target_id'),
    tenantId: query(r, 'tenant_id'),
    limit: limit(r),
  });
  return { status: 200, body: { entries } };
};

const events: ApiHandler = async (r) => {
  await requireSystemAdmin(r);
  return { status: 200, body: { events: await listEvents(r.platform.pool, { type: query(r, 'type'), limit: limit(r) }) } };
};

export function registerAuditEvents(router: Router<ApiHandler>): void {
  router.add('GET', '/api/v1/admin/audit', audit);
  router.add('GET', '/api/v1/admin/events', events);
}
