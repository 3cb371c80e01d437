// GPU instances, always within one project.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';

export interface InstanceRow {
  id: string;
  project_id: string;
  name: string;
  gpu_type: string;
  status: string;
  created_by: string | null;
  created_at: Date;
}

const COLUMNS = 'id, project_id, name, gpu_type, status, created_by, created_at';

export async function listInstances(db: Db, projectId: string): Promise<InstanceRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM platform.instances WHERE project_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [projectId]);
  return rows;
}

export async function insertInstance(db: Db, i: { projectId: string; name: string; gpuType: string; createdBy: string }): Promise<InstanceRow> {
  const { rows } = await db.query(
    `INSERT INTO platform.instances (id, project_id, name, gpu_type, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [randomUUID(), i.projectId, i.name, i.gpuType, i.createdBy],
  );
  return rows[0];
}

/** Soft-deletes a live instance of the project; false when it has none by that id. */
export async function deleteInstance(db: Db, projectId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE platform.instances SET deleted_at = now(), status = 'deleted' WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL`,
    [id, projectId],
  );
  return (rowCount ?? 0) > 0;
}

/** Whether any project of the tenant runs (or ran) a live instance. */
export async function tenantHasInstances(db: Db, tenantId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT EXISTS (SELECT 1 FROM platform.instances i JOIN platform.projects p ON p.id = i.project_id
                     WHERE p.tenant_id = $1 AND i.deleted_at IS NULL AND p.deleted_at IS NULL) AS yes`,
    [tenantId],
  );
  return rows[0].yes;
}
