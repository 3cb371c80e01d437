// Audit evidence: the audit_log rows with the correlation id (user.create, user.signup, ...),
// from the database when the target names one, else through the platform's audit API as system
// admin. Also the rows about a user since a moment: the privileged mutations between two snapshots.
import type { Query } from '../../engine/journey.ts';
import { unavailable, type AuditRow, type Section } from '../evidence.ts';
import { whyUnavailable, type TriageSources } from '../sources.ts';

const COLUMNS = 'id::text AS id, action, actor_id, target_id, tenant_id::text AS tenant_id, correlation_id, payload, created_at';

const row = (r: Record<string, unknown>): AuditRow => ({
  id: String(r.id),
  action: String(r.action),
  actor_id: (r.actor_id as string | null) ?? null,
  target_id: (r.target_id as string | null) ?? null,
  tenant_id: (r.tenant_id as string | null) ?? null,
  correlation_id: (r.correlation_id as string | null) ?? null,
  payload: r.payload ?? {},
  created_at: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
});

async function viaApi(src: TriageSources, filter: Record<string, string>): Promise<AuditRow[]> {
  const res = await src.api('GET', `/api/v1/admin/audit?${new URLSearchParams({ ...filter, limit: '1000' })}`);
  if (res.status !== 200) throw new Error(`GET /api/v1/admin/audit answered ${res.status}`);
  return ((res.body as { entries?: Record<string, unknown>[] }).entries ?? []).map(row);
}

export async function collectAudit(src: TriageSources, correlationId: string | null): Promise<Section<{ via: 'db' | 'api'; rows: AuditRow[] }>> {
  if (!correlationId) return unavailable('the failure carries no correlation id to look audit rows up by');
  try {
    if (!src.dbUnavailable()) return { available: true, via: 'db', rows: await src.db(async (q: Query) => (await q(`SELECT ${COLUMNS} FROM platform.audit_log WHERE correlation_id = $1 ORDER BY id`, [correlationId])).map(row)) };
    // Only rows under the id are its evidence: an API that ignores the filter must not lend it others.
    return { available: true, via: 'api', rows: (await viaApi(src, { correlation_id: correlationId })).filter((r) => r.correlation_id === correlationId) };
  } catch (err) {
    return unavailable(whyUnavailable('the audit lookup', err));
  }
}

/** Audit rows about the user (as target or actor) written after `since`. */
export async function auditSince(src: TriageSources, userId: string, since: string): Promise<AuditRow[]> {
  const after = (rows: AuditRow[]) => rows.filter((r) => Date.parse(r.created_at) > Date.parse(since));
  if (!src.dbUnavailable()) return after(await src.db(async (q: Query) => (await q(`SELECT ${COLUMNS} FROM platform.audit_log WHERE (target_id = $1 OR actor_id = $1) AND created_at > $2 ORDER BY id`, [userId, since])).map(row)));
  return after(await viaApi(src, { target_id: userId }));
}
