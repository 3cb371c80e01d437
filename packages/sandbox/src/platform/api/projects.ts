// Projects and project members (PLATFORM.md, "Project members"): tenant admins and
// operators create projects and own them; owners add and remove members. Removal soft-deletes the
// membership row, which from then on no longer authorizes anything.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { conflict, invalidRequest, notFound } from '../http/errors.ts';
import { inTransaction, isUniqueViolation } from '../db.ts';
import { pathUuid, requireProjectOwner, requireTenantRole } from '../authz.ts';
import { activeOwnerCount, insertProject, insertProjectMember, projectsOfUser, removeProjectMember } from '../repo/projects.ts';
import { tenantMemberships } from '../repo/memberships.ts';
import { writeAudit } from '../repo/audit-write.ts';
import type { FieldProblem } from './signup.ts';

const PROJECT_ROLES = ['owner', 'member'] as const;

const list: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const rows = await projectsOfUser(r.platform.pool, p.userId);
  return { status: 200, body: { projects: rows.map((x) => ({ id: x.id, tenant_id: x.tenant_id, name: x.name, is_default: x.is_default, role: x.role, created_at: x.created_at })) } };
};

const create: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const tenant = await requireTenantRole(r, p, ['tenant_admin', 'operator']);
  const { name } = await r.json();
  if (typeof name !== 'string' || !name.trim() || name.trim().length > 100) {
    throw invalidRequest('Invalid project: name must be a non-blank string of at most 100 characters.', { fields: [{ field: 'name', message: 'must be a non-blank string of at most 100 characters' }] });
  }
  const project = await inTransaction(r.platform.pool, async (db) => {
    const row = await insertProject(db, { tenantId: tenant.tenantId, name: name.trim(), isDefault: false });
    await insertProjectMember(db, { projectId: row.id, userId: p.userId, role: 'owner' });
    await writeAudit(db, { action: 'project.create', actorId: p.userId, targetId: row.id, tenantId: tenant.tenantId, correlationId: r.correlationId, payload: { name: name.trim() } });
    return row;
  });
  return { status: 201, body: { id: project.id, tenant_id: tenant.tenantId, name: name.trim(), is_default: false, role: 'owner', created_at: project.created_at } };
};

const addMember: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const projectId = pathUuid(r.params.project_id, 'Project');
  const project = await requireProjectOwner(r, p, projectId);
  const { user_id: userId, role } = await r.json();
  const problems: FieldProblem[] = [];
  if (typeof userId !== 'string' || !userId.trim()) problems.push({ field: 'user_id', message: 'is required' });
  if (!PROJECT_ROLES.includes(role as never)) problems.push({ field: 'role', message: `must be one of ${PROJECT_ROLES.join(', ')}` });
  if (problems.length === 0) {
    // Only people of the project's tenant may join it: a project never leaks across tenants.
    const inTenant = (await tenantMemberships(r.platform.pool, userId as string)).some((m) => m.tenantId === project.tenantId);
    if (!inTenant) problems.push({ field: 'user_id', message: "is not an active member of the project's tenant" });
  }
  if (problems.length) throw invalidRequest(`Invalid member: ${problems.map((x) => `${x.field} ${x.message}`).join('; ')}.`, { fields: problems });

  try {
    const row = await inTransaction(r.platform.pool, async (db) => {
      const m = await insertProjectMember(db, { projectId, userId: userId as string, role: role as 'owner' | 'member' });
      await writeAudit(db, { action: 'project.member.add', actorId: p.userId, targetId: userId as string, tenantId: project.tenantId, correlationId: r.correlationId, payload: { project_id: projectId, role } });
      return m;
    });
    return { status: 201, body: { project_id: projectId, user_id: userId, role, created_at: row.created_at } };
  } catch (err) {
    if (isUniqueViolation(err, 'project_memberships_active_key')) throw conflict('already_member', 'The user is already an active member of this project.');
    throw err;
  }
};

const removeMember: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const projectId = pathUuid(r.params.project_id, 'Project');
  const project = await requireProjectOwner(r, p, projectId);
  const userId = r.params.user_id!;
  await inTransaction(r.platform.pool, async (db) => {
    // Lock the project's owner rows so two owners cannot remove each other at once.
    await db.query('SELECT 1 FROM platform.project_memberships WHERE project_id = $1 AND deleted_at IS NULL FOR UPDATE', [projectId]);
    const target = await db.query(`SELECT role FROM platform.project_memberships WHERE project_id = $1 AND user_id = $2 AND deleted_at IS NULL`, [projectId, userId]);
    if (!target.rows[0]) throw notFound('Project membership');
    if (target.rows[0].role === 'owner' && (await activeOwnerCount(db, projectId)) <= 1) throw conflict('last_owner', 'A project keeps at least one owner; add another owner first.');
    await removeProjectMember(db, projectId, userId);
    await writeAudit(db, { action: 'project.member.remove', actorId: p.userId, targetId: userId, tenantId: project.tenantId, correlationId: r.correlationId, payload: { project_id: projectId, role: target.rows[0].role } });
  });
  return { status: 204 };
};

export function registerProjects(router: Router<ApiHandler>): void {
  router.add('GET', '/api/v1/projects', list);
  router.add('POST', '/api/v1/projects', create);
  router.add('POST', '/api/v1/projects/:project_id/members', addMember);
  router.add('DELETE', '/api/v1/projects/:project_id/members/:user_id', removeMember);
}
