// Reading the audit log (rows are written by audit-write.ts inside each change's unit of work):
// by correlation id first, since that is what the runbook's triage starts from.
import type { Db } from '../db.ts';

export interface AuditEntry {
  id: number;
  action: string;
  actor_id: string | null;
  target_id: string | null;
  tenant_id: string | null;
  correlation_id: string | null;
  payload: Record<string, unknown>;
  created_at: string;
}

export interface AuditFilter {
  correlationId?: string;
  action?: string;
  targetId?: string;
  tenantId?: string;
  limit: number;
}

/** Oldest first, so a correlation id's entries read in the order things happened. */
export async function listAudit(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (f.correlationId !== undefined) add('correlation_id = ?', f.correlationId);
  if (f.action !== undefined) add('action = ?', f.action);
  if (f.targetId !== undefined) add('target_id = ?', f.targetId);
  if (f.tenantId !== undefined) add('tenant_id::text = ?', f.tenantId);
  args.push(f.limit);
  const { rows } = await db.query(
    `SELECT id, action, actor_id, target_id, tenant_id, correlation_id, payload, created_at
       FROM (SELECT * FROM platform.audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}) newest
      ORDER BY id`,
    args,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), created_at: new Date(r.created_at).toISOString() }));
}
