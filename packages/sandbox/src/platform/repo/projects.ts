// Projects and their memberships.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import type { ProjectRole } from './memberships.ts';

export interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  is_default: boolean;
  role: ProjectRole;
  created_at: Date;
}

export async function insertProject(db: Db, p: { id?: string; tenantId: string; name: string; isDefault: boolean }): Promise<{ id: string; created_at: Date }> {
  const { rows } = await db.query(
    'INSERT INTO platform.projects (id, tenant_id, name, is_default) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [p.id ?? randomUUID(), p.tenantId, p.name, p.isDefault],
  );
  return rows[0];
}

export async function insertProjectMember(db: Db, m: { projectId: string; userId: string; role: ProjectRole }): Promise<{ id: string; created_at: Date }> {
  const { rows } = await db.query(
    'INSERT INTO platform.project_memberships (id, user_id, project_id, role) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [randomUUID(), m.userId, m.projectId, m.role],
  );
  return rows[0];
}

/** Live projects the user is an active member of, optionally within one tenant; defaults first. */
export async function projectsOfUser(db: Db, userId: string, tenantId?: string): Promise<ProjectRow[]> {
  const { rows } = await db.query(
    `SELECT p.id, p.tenant_id, p.name, p.is_default, pm.role, p.created_at
       FROM platform.project_memberships pm
       JOIN platform.projects p ON p.id = pm.project_id AND p.deleted_at IS NULL
       JOIN platform.tenants t ON t.id = p.tenant_id AND t.deleted_at IS NULL
      WHERE pm.user_id = $1 AND pm.deleted_at IS NULL AND ($2::uuid IS NULL OR p.tenant_id = $2::uuid)
      ORDER BY p.is_default DESC, p.created_at, p.id`,
    [userId, tenantId ?? null],
  );
  return rows;
}

/** Soft-deletes the active membership; false when there was none. */
export async function removeProjectMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE platform.project_memberships SET deleted_at = now() WHERE project_id = $1 AND user_id = $2 AND deleted_at IS NULL',
    [projectId, userId],
  );
  return (rowCount ?? 0) > 0;
}

export async function activeOwnerCount(db: Db, projectId: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM platform.project_memberships WHERE project_id = $1 AND role = 'owner' AND deleted_at IS NULL`,
    [projectId],
  );
  return rows[0].n;
}
