// SCIM connections (tenant_admin of the caller's current tenant): which directory provisions the
// tenant's users. Metadata only: the sandbox is no SCIM server and holds no directory secrets.
// Removal soft-deletes the row (removing the tenant does too), and both are audited.
import { randomUUID } from 'node:crypto';
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { notFound } from '../http/errors.ts';
import { pathUuid, requireTenantRole } from '../authz.ts';
import { inTransaction } from '../db.ts';
import { writeAudit } from '../repo/audit-write.ts';
import { rejectFields, type FieldProblem } from './tenants.ts';

export const SCIM_PROVIDERS = ['okta', 'entra_id', 'google_workspace', 'other'] as const;

async function tenantAdmin(r: ApiRequest): Promise<{ userId: string; tenantId: string }> {
  const p = await authenticate(r);
  const m = await requireTenantRole(r, p, ['tenant_admin']);
  return { userId: p.userId, tenantId: m.tenantId };
}

function parseConnectionBody(body: Record<string, unknown>): { name: string; provider: string } {
  const problems: FieldProblem[] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name) problems.push({ field: 'name', message: 'is required' });
  else if (name.length > 100) problems.push({ field: 'name', message: 'must be at most 100 characters' });
  const provider = body.provider ?? 'other';
  if (typeof provider !== 'string' || !(SCIM_PROVIDERS as readonly string[]).includes(provider)) problems.push({ field: 'provider', message: `must be one of ${SCIM_PROVIDERS.join(', ')}` });
  rejectFields(problems, 'Invalid SCIM connection');
  return { name, provider: provider as string };
}

const COLUMNS = 'id, tenant_id, name, provider, created_at, created_by';

const toMetadata = (r: Record<string, unknown>) => ({
  id: r.id as string,
  tenant_id: r.tenant_id as string,
  name: r.name as string,
  provider: r.provider as string,
  created_at: new Date(r.created_at as string).toISOString(),
  created_by: r.created_by as string | null,
});

const create: ApiHandler = async (r) => {
  const caller = await tenantAdmin(r);
  const { name, provider } = parseConnectionBody(await r.json());
  const connection = await inTransaction(r.platform.pool, async (db) => {
    const { rows } = await db.query(
      `INSERT INTO platform.scim_connections (id, tenant_id, name, provider, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [randomUUID(), caller.tenantId, name, provider, caller.userId],
    );
    const c = toMetadata(rows[0]);
    await writeAudit(db, { action: 'scim_connection.create', actorId: caller.userId, targetId: c.id, tenantId: caller.tenantId, correlationId: r.correlationId, payload: { name, provider } });
    return c;
  });
  return { status: 201, body: connection };
};

const list: ApiHandler = async (r) => {
  const caller = await tenantAdmin(r);
  const { rows } = await r.platform.pool.query(
    `SELECT ${COLUMNS} FROM platform.scim_connections WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
    [caller.tenantId],
  );
  return { status: 200, body: { connections: rows.map(toMetadata) } };
};

const remove: ApiHandler = async (r) => {
  const caller = await tenantAdmin(r);
  // Another tenant's connection is as absent as an unknown one.
  const id = pathUuid(r.params.connection_id, 'SCIM connection');
  await inTransaction(r.platform.pool, async (db) => {
    const { rows } = await db.query(
      `UPDATE platform.scim_connections SET deleted_at = now() WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING name, provider`,
      [id, caller.tenantId],
    );
    if (!rows[0]) throw notFound(`SCIM connection ${id}`);
    await writeAudit(db, { action: 'scim_connection.remove', actorId: caller.userId, targetId: id, tenantId: caller.tenantId, correlationId: r.correlationId, payload: rows[0] });
  });
  return { status: 204 };
};

export function registerScimConnections(router: Router<ApiHandler>): void {
  router.add('POST', '/api/v1/scim/connections', create);
  router.add('GET', '/api/v1/scim/connections', list);
  router.add('DELETE', '/api/v1/scim/connections/:connection_id', remove);
}
