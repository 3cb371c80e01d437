// Agent enrollment tokens (tenant_admin of the caller's current tenant). The secret is shown once,
// in the 201; the platform keeps only its SHA-256 (enough for 32 random bytes: nothing to guess)
// and a short prefix by which an admin can recognise the token later.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { requireTenantRole } from '../authz.ts';
import { inTransaction } from '../db.ts';
import type { Db } from '../db.ts';
import { writeAudit } from '../repo/audit-write.ts';
import { rejectFields, type FieldProblem } from './tenants.ts';

const DEFAULT_HOURS = 72;
const MAX_HOURS = 24 * 365;
const PREFIX_CHARS = 12;

/** The caller, who must be tenant_admin of the current tenant (X-Tenant-ID or the earliest membership). */
async function tenantAdmin(r: ApiRequest): Promise<{ userId: string; tenantId: string }> {
  const p = await authenticate(r);
  const m = await requireTenantRole(r, p, ['tenant_admin']);
  return { userId: p.userId, tenantId: m.tenantId };
}

function parseTokenBody(body: Record<string, unknown>): { name: string; hours: number } {
  const problems: FieldProblem[] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push({ field: 'name', message: 'is required' });
  else if (name.length > 100) problems.push({ field: 'name', message: 'must be at most 100 characters' });
  const hours = body.expires_in_hours ?? DEFAULT_HOURS;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) problems.push({ field: 'expires_in_hours', message: `must be an integer from 1 to ${MAX_HOURS}` });
  rejectFields(problems, 'Invalid enrollment token');
  return { name, hours: hours as number };
}

const COLUMNS = 'id, name, tenant_id, prefix, expires_at, created_at, created_by';

const toMetadata = (r: Record<string, unknown>) => ({
  id: r.id as string,
  name: r.name as string,
  tenant_id: r.tenant_id as string,
  prefix: r.prefix as string,
  expires_at: new Date(r.expires_at as string).toISOString(),
  created_at: new Date(r.created_at as string).toISOString(),
  created_by: r.created_by as string | null,
});

async function insertToken(db: Db, t: { tenantId: string; name: string; hours: number; userId: string; secret: string }) {
  const { rows } = await db.query(
    `INSERT INTO platform.enrollment_tokens (id, tenant_id, name, secret_hash, prefix, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6), $7) RETURNING ${COLUMNS}`,
    [randomUUID(), t.tenantId, t.name, createHash('sha256').update(t.secret).digest('hex'), t.secret.slice(0, PREFIX_CHARS), t.hours, t.userId],
  );
  return toMetadata(rows[0]);
}

const create: ApiHandler = async (r) => {
  const caller = await tenantAdmin(r);
  const { name, hours } = parseTokenBody(await r.json());
  const secret = `oet_${randomBytes(32).toString('base64url')}`;
  const token = await inTransaction(r.platform.pool, async (db) => {
    const t = await insertToken(db, { tenantId: caller.tenantId, name, hours, userId: caller.userId, secret });
    await writeAudit(db, { action: 'enrollment_token.create', actorId: caller.userId, targetId: t.id, tenantId: caller.tenantId, correlationId: r.correlationId, payload: { name, prefix: t.prefix, expires_at: t.expires_at } });
    return t;
  });
  return { status: 201, body: { ...token, secret } };
};

const list: ApiHandler = async (r) => {
  const caller = await tenantAdmin(r);
  const { rows } = await r.platform.pool.query(
    `SELECT ${COLUMNS} FROM platform.enrollment_tokens WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
    [caller.tenantId],
  );
  return { status: 200, body: { tokens: rows.map(toMetadata) } };
};

export function registerEnrollmentTokens(router: Router<ApiHandler>): void {
  router.add('POST', '/api/v1/agent-enrollment/tokens', create);
  router.add('GET', '/api/v1/agent-enrollment/tokens', list);
}
