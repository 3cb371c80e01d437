// Tenant administration (system_admin only): a tenant is created with its customer org and default
// project; removing one soft-deletes it with every membership in it and removes the Keycloak users
// that no other tenant still needs.
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import { authenticate, type Principal } from '../http/auth.ts';
import { conflict, invalidRequest, notFound } from '../http/errors.ts';
import { pathUuid, requireSystemAdmin as assertSystemAdmin } from '../authz.ts';
import { inTransaction, isUniqueViolation } from '../db.ts';
import { createTenant, getTenant, listTenants, softDeleteTenant, type Tenant } from '../repo/tenants.ts';
import { writeAudit } from '../repo/audit-write.ts';
import { removeKeycloakUser } from '../worker.ts';

export async function requireSystemAdmin(r: ApiRequest): Promise<Principal> {
  const p = await authenticate(r);
  assertSystemAdmin(p);
  return p;
}

/** The tenant named in the path; a malformed id is just as absent as an unknown one. */
export async function tenantFromPath(r: ApiRequest): Promise<Tenant> {
  const id = pathUuid(r.params.tenant_id, 'Tenant');
  const tenant = await getTenant(r.platform.pool, id);
  if (!tenant) throw notFound(`Tenant ${id}`);
  return tenant;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** One 400 naming every field problem at once. */
export function rejectFields(problems: FieldProblem[], what: string): void {
  if (problems.length) throw invalidRequest(`${what}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, { fields: problems });
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

function parseTenantBody(body: Record<string, unknown>): { name: string; slug: string } {
  const problems: FieldProblem[] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  const slug = typeof body.slug === 'string' ? body.slug.trim() : '';
  if (!name) problems.push({ field: 'name', message: 'is required' });
  else if (name.length > 200) problems.push({ field: 'name', message: 'must be at most 200 characters' });
  if (!slug) problems.push({ field: 'slug', message: 'is required' });
  else if (!SLUG.test(slug)) problems.push({ field: 'slug', message: 'must be 3-63 lower-case letters, digits or hyphens, starting and ending with a letter or digit' });
  rejectFields(problems, 'Invalid tenant');
  return { name, slug };
}

const create: ApiHandler = async (r) => {
  const actor = await requireSystemAdmin(r);
  const input = parseTenantBody(await r.json());
  try {
    const tenant = await inTransaction(r.platform.pool, async (db) => {
      const t = await createTenant(db, input);
      await writeAudit(db, { action: 'tenant.create', actorId: actor.userId, targetId: t.id, tenantId: t.id, correlationId: r.correlationId, payload: { slug: t.slug, name: t.name, org_id: t.org_id, default_project_id: t.default_project_id } });
      return t;
    });
    return { status: 201, body: tenant };
  } catch (err) {
    if (isUniqueViolation(err, 'tenants_slug_key')) throw conflict('slug_taken', `A tenant with slug "${input.slug}" already exists.`);
    throw err;
  }
};

const list: ApiHandler = async (r) => {
  await requireSystemAdmin(r);
  return { status: 200, body: { tenants: await listTenants(r.platform.pool) } };
};

const read: ApiHandler = async (r) => {
  await requireSystemAdmin(r);
  return { status: 200, body: await tenantFromPath(r) };
};

const remove: ApiHandler = async (r) => {
  const actor = await requireSystemAdmin(r);
  const tenant = await tenantFromPath(r);
  const removed = await inTransaction(r.platform.pool, async (db) => {
    const out = await softDeleteTenant(db, tenant.id);
    if (!out) throw notFound(`Tenant ${tenant.id}`);
    await writeAudit(db, { action: 'tenant.delete', actorId: actor.userId, targetId: tenant.id, tenantId: tenant.id, correlationId: r.correlationId, payload: { slug: tenant.slug, members: out.members, keycloak_users_removed: out.orphaned.map((o) => o.user_id) } });
    return out;
  });
  // After the commit: the platform no longer counts these users, so their Keycloak users go (or
  // are queued for the worker when Keycloak cannot be reached now).
  for (const o of removed.orphaned) {
    await removeKeycloakUser(r.platform, undefined, { subject: o.idp_subject, userId: o.user_id, reason: 'tenant.delete', correlationId: r.correlationId });
  }
  return { status: 204 };
};

export function registerTenants(router: Router<ApiHandler>): void {
  router.add('POST', '/api/v1/admin/tenants', create);
  router.add('GET', '/api/v1/admin/tenants', list);
  router.add('GET', '/api/v1/admin/tenants/:tenant_id', read);
  router.add('DELETE', '/api/v1/admin/tenants/:tenant_id', remove);
}
