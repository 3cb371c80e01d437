// One audit row. Callers pass the unit of work they are in, so the row commits or rolls back with
// the change it records; the correlation id ties it to the request's envelope and log line.
import type { Db } from '../db.ts';

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  targetId?: string | null;
  tenantId?: string | null;
  correlationId?: string | null;
  payload?: Record<string, unknown>;
}

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO platform.audit_log (action, actor_id, target_id, tenant_id, correlation_id, payload)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [e.action, e.actorId ?? null, e.targetId ?? null, e.tenantId ?? null, e.correlationId ?? null, JSON.stringify(e.payload ?? {})],
  );
}
