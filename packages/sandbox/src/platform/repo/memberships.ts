// Membership lookups behind every authorization decision. `includeDeleted` exists only so the
// authz_counts_deleted_memberships fault can reproduce the bug of ignoring deleted_at; every
// correct caller leaves it false.
import type { Db } from '../db.ts';

export type TenantRole = 'tenant_admin' | 'operator' | 'auditor' | 'member';
export type ProjectRole = 'owner' | 'member';

export interface TenantMembership {
  tenantId: string;
  /** For people (the console shows it); the id is the key. */
  tenantName: string;
  role: TenantRole;
}

const active = (alias: string, includeDeleted: boolean) => (includeDeleted ? 'true' : `${alias}.deleted_at IS NULL`);

/** The user's tenant memberships in live tenants, earliest first (the default tenant comes first). */
export async function tenantMemberships(db: Db, userId: string, includeDeleted = false): Promise<TenantMembership[]> {
  const { rows } = await db.query(
    `SELECT m.tenant_id, t.name AS tenant_name, m.role FROM platform.tenant_memberships m
       JOIN platform.tenants t ON t.id = m.tenant_id AND t.deleted_at IS NULL
      WHERE m.user_id = $1 AND ${active('m', includeDeleted)}
      ORDER BY m.created_at, m.id`,
    [userId],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantName: r.tenant_name, role: r.role }));
}

export interface ProjectAccess {
  projectId: string;
  tenantId: string;
  /** Undefined: the project exists but the user holds no (counted) membership in it. */
  role?: ProjectRole;
}

/** The live project and the user's role in it; undefined when the project does not exist. */
export async function projectAccess(db: Db, userId: string, projectId: string, includeDeleted = false): Promise<ProjectAccess | undefined> {
  // With deleted rows counted, an active row must still win over a removed one.
  const { rows } = await db.query(
    `SELECT p.id, p.tenant_id, m.role FROM platform.projects p
       LEFT JOIN LATERAL (
         SELECT pm.role FROM platform.project_memberships pm
          WHERE pm.project_id = p.id AND pm.user_id = $1 AND ${active('pm', includeDeleted)}
          ORDER BY pm.deleted_at IS NULL DESC, pm.created_at DESC LIMIT 1
       ) m ON true
      WHERE p.id = $2 AND p.deleted_at IS NULL`,
    [userId, projectId],
  );
  const r = rows[0];
  return r ? { projectId: r.id, tenantId: r.tenant_id, role: r.role ?? undefined } : undefined;
}
