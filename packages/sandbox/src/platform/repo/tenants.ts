// Tenants and who belongs to them: a customer tenant comes with its own org and default project;
// a tenant user is a platform user with an active tenant membership (and, normally, a membership
// of the tenant's default project). Only rows with deleted_at IS NULL count.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';

export interface Tenant {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  default_project_id: string | null;
  created_at: string;
}

export const TENANT_USER_ROLES = ['tenant_admin', 'operator', 'auditor'] as const;
export type TenantUserRole = (typeof TENANT_USER_ROLES)[number];

const TENANT_COLUMNS = `t.id, t.org_id, t.slug, t.name, t.created_at,
  (SELECT p.id FROM platform.projects p WHERE p.tenant_id = t.id AND p.is_default AND p.deleted_at IS NULL) AS default_project_id`;

const toTenant = (r: Record<string, unknown>): Tenant => ({
  id: r.id as string,
  org_id: r.org_id as string,
  slug: r.slug as string,
  name: r.name as string,
  default_project_id: (r.default_project_id as string | null) ?? null,
  created_at: new Date(r.created_at as string).toISOString(),
});

/** Org, tenant and default project in the caller's unit of work; tenants_slug_key guards the slug. */
export async function createTenant(db: Db, t: { name: string; slug: string }): Promise<Tenant> {
  const orgId = randomUUID();
  const tenantId = randomUUID();
  await db.query(`INSERT INTO platform.orgs (id, name, kind) VALUES ($1, $2, 'customer')`, [orgId, t.name]);
  await db.query(`INSERT INTO platform.tenants (id, org_id, slug, name) VALUES ($1, $2, $3, $4)`, [tenantId, orgId, t.slug, t.name]);
  await db.query(`INSERT INTO platform.projects (id, tenant_id, name, is_default) VALUES ($1, $2, 'default', true)`, [randomUUID(), tenantId]);
  return (await getTenant(db, tenantId))!;
}

export async function getTenant(db: Db, id: string): Promise<Tenant | undefined> {
  const { rows } = await db.query(`SELECT ${TENANT_COLUMNS} FROM platform.tenants t WHERE t.id = $1 AND t.deleted_at IS NULL`, [id]);
  return rows[0] ? toTenant(rows[0]) : undefined;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  const { rows } = await db.query(`SELECT ${TENANT_COLUMNS} FROM platform.tenants t WHERE t.deleted_at IS NULL ORDER BY t.created_at, t.id`);
  return rows.map(toTenant);
}

/** A user whose Keycloak account has to go because a tenant removal left it without any tenant. */
export interface OrphanedUser {
  user_id: string;
  idp_subject: string;
}

/**
 * Soft-deletes the tenant, its projects, SCIM connections and every membership in them. Returns the users left with
 * no active tenant at all (system admins excepted): their Keycloak users are to be removed.
 */
export async function softDeleteTenant(db: Db, id: string): Promise<{ members: string[]; orphaned: OrphanedUser[] } | undefined> {
  const { rowCount } = await db.query(`UPDATE platform.tenants SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
  if (!rowCount) return undefined;
  const { rows: members } = await db.query(
    `UPDATE platform.tenant_memberships SET deleted_at = now() WHERE tenant_id = $1 AND deleted_at IS NULL RETURNING user_id`,
    [id],
  );
  await db.query(
    `UPDATE platform.project_memberships SET deleted_at = now()
      WHERE deleted_at IS NULL AND project_id IN (SELECT id FROM platform.projects WHERE tenant_id = $1)`,
    [id],
  );
  await db.query(`UPDATE platform.projects SET deleted_at = now() WHERE tenant_id = $1 AND deleted_at IS NULL`, [id]);
  await db.query(`UPDATE platform.scim_connections SET deleted_at = now() WHERE tenant_id = $1 AND deleted_at IS NULL`, [id]);
  const userIds = [...new Set(members.map((m) => m.user_id as string))];
  return { members: userIds, orphaned: await usersWithoutTenant(db, userIds) };
}

async function usersWithoutTenant(db: Db, userIds: string[]): Promise<OrphanedUser[]> {
  if (!userIds.length) return [];
  const { rows } = await db.query(
    `SELECT u.id AS user_id, u.idp_subject FROM platform.users u
      WHERE u.id = ANY($1) AND u.idp_subject IS NOT NULL AND NOT u.is_system_admin
        AND NOT EXISTS (SELECT 1 FROM platform.tenant_memberships m JOIN platform.tenants t ON t.id = m.tenant_id
                         WHERE m.user_id = u.id AND m.deleted_at IS NULL AND t.deleted_at IS NULL)`,
    [userIds],
  );
  return rows;
}

/** Which identifier of a new user is already taken on the platform, if any. */
export async function takenIdentifier(db: Db, userId: string, email: string): Promise<'user_id' | 'email' | undefined> {
  const { rows } = await db.query(`SELECT id FROM platform.users WHERE id = $1 OR lower(email) = lower($2)`, [userId, email]);
  if (!rows.length) return undefined;
  return rows.some((r) => r.id === userId) ? 'user_id' : 'email';
}

export interface NewTenantUser {
  userId: string;
  orgId: string;
  email: string;
  displayName: string;
  idpSubject: string | null;
  tenantId: string;
  role: TenantUserRole;
  /** The default project to join as member; null leaves it out. */
  defaultProjectId: string | null;
}

export async function insertTenantUser(db: Db, u: NewTenantUser): Promise<void> {
  await db.query(
    `INSERT INTO platform.users (id, org_id, email, display_name, idp_subject) VALUES ($1, $2, $3, $4, $5)`,
    [u.userId, u.orgId, u.email, u.displayName, u.idpSubject],
  );
  await db.query(`INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES ($1, $2, $3, $4)`, [randomUUID(), u.userId, u.tenantId, u.role]);
  if (u.defaultProjectId) {
    await db.query(`INSERT INTO platform.project_memberships (id, user_id, project_id, role) VALUES ($1, $2, $3, 'member')`, [randomUUID(), u.userId, u.defaultProjectId]);
  }
}

/** A platform user as seen through one active tenant membership: what Keycloak must agree with. */
export interface TenantUser {
  user_id: string;
  tenant_id: string;
  org_id: string;
  email: string;
  display_name: string;
  idp_subject: string | null;
  /** The Keycloak username the platform gave the user: user_id when an admin bootstrapped it, the email for a self-signup. */
  idp_username: string;
  role: string;
}

const TENANT_USER_SELECT = `SELECT u.id AS user_id, m.tenant_id, u.org_id, u.email, u.display_name, u.idp_subject, m.role,
       lower(CASE o.kind WHEN 'personal' THEN u.email ELSE u.id END) AS idp_username
  FROM platform.tenant_memberships m
  JOIN platform.users u ON u.id = m.user_id
  JOIN platform.orgs o ON o.id = u.org_id
  JOIN platform.tenants t ON t.id = m.tenant_id
 WHERE m.deleted_at IS NULL AND t.deleted_at IS NULL`;

export async function getTenantUser(db: Db, tenantId: string, userId: string): Promise<TenantUser | undefined> {
  const { rows } = await db.query(`${TENANT_USER_SELECT} AND m.tenant_id = $1 AND m.user_id = $2`, [tenantId, userId]);
  return rows[0];
}

/** Every active tenant-facing user (the roles OP-071 bootstraps through Keycloak). */
export async function listTenantUsers(db: Db): Promise<TenantUser[]> {
  const { rows } = await db.query(`${TENANT_USER_SELECT} AND m.role = ANY($1) AND NOT u.is_system_admin ORDER BY m.created_at, u.id`, [[...TENANT_USER_ROLES]]);
  return rows;
}

/**
 * Soft-deletes the user's memberships in the tenant and in its projects. Returns the user's
 * Keycloak subject when no other active tenant membership keeps the Keycloak user needed.
 */
export async function removeTenantUser(db: Db, tenantId: string, userId: string): Promise<{ orphaned?: OrphanedUser } | undefined> {
  const { rowCount } = await db.query(
    `UPDATE platform.tenant_memberships SET deleted_at = now() WHERE tenant_id = $1 AND user_id = $2 AND deleted_at IS NULL`,
    [tenantId, userId],
  );
  if (!rowCount) return undefined;
  await db.query(
    `UPDATE platform.project_memberships SET deleted_at = now()
      WHERE user_id = $2 AND deleted_at IS NULL AND project_id IN (SELECT id FROM platform.projects WHERE tenant_id = $1)`,
    [tenantId, userId],
  );
  const [orphaned] = await usersWithoutTenant(db, [userId]);
  return { orphaned };
}
