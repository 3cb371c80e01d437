// Who may act where. Only active rows (deleted_at IS NULL) count (runbook, "Membership state");
// system_admin is a platform flag outside every tenant and grants no project access by itself, so
// platform operators reach tenant data only through the admin endpoints (chosen).
import type { ApiRequest } from './http/request.ts';
import type { Principal } from './http/auth.ts';
import type { PlatformContext } from './context.ts';
import { ApiError, PROJECT_CONTEXT_REQUIRED, forbidden, invalidRequest } from './http/errors.ts';
import { projectAccess, tenantMemberships, type ProjectAccess, type ProjectRole, type TenantMembership, type TenantRole } from './repo/memberships.ts';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_RE.test(s);

const countsDeleted = (ctx: PlatformContext) => ctx.faults.isOn('authz_counts_deleted_memberships');

export const membershipDenied = (what = 'project') =>
  forbidden('membership_denied', `You have no active membership in this ${what}.`);
export const ownershipDenied = () => forbidden('ownership_denied', 'Only a project owner may do this.');

/**
 * The project id from X-Project-ID. Missing or not a uuid is always the same 400 invalid_request,
 * so a client can tell "my header got lost" from "I am not allowed" on the first try.
 */
export function requireProjectContext(r: ApiRequest): string {
  const faults = r.platform.faults;
  const sent = faults.isOn('project_header_dropped') ? undefined : r.header('x-project-id')?.trim();
  if (sent && UUID_RE.test(sent)) return sent.toLowerCase();
  if (faults.isOn('project_error_nondeterministic')) throw nondeterministicProjectError(r.platform);
  throw invalidRequest(PROJECT_CONTEXT_REQUIRED, { header: 'X-Project-ID', reason: sent ? 'malformed' : 'missing' });
}

const tries = new WeakMap<PlatformContext, number>();

/** The broken deployment: the same mistake answers differently from one try to the next. */
function nondeterministicProjectError(ctx: PlatformContext): Error {
  const n = tries.get(ctx) ?? 0;
  tries.set(ctx, n + 1);
  switch (n % 3) {
    case 0:
      return invalidRequest(PROJECT_CONTEXT_REQUIRED);
    case 1:
      return membershipDenied();
    default:
      return new Error('project context lookup failed');
  }
}

/** The caller's project membership; 403 membership_denied for an unknown project or no active row. */
export async function requireProjectMember(r: ApiRequest, p: Principal, projectId: string): Promise<ProjectAccess & { role: ProjectRole }> {
  const access = await projectAccess(r.platform.pool, p.userId, projectId, countsDeleted(r.platform));
  if (!access?.role) throw membershipDenied();
  return access as ProjectAccess & { role: ProjectRole };
}

/** As requireProjectMember, and a member who is not an owner gets 403 ownership_denied. */
export async function requireProjectOwner(r: ApiRequest, p: Principal, projectId: string): Promise<ProjectAccess & { role: 'owner' }> {
  const access = await requireProjectMember(r, p, projectId);
  if (access.role !== 'owner') throw ownershipDenied();
  return access as ProjectAccess & { role: 'owner' };
}

/**
 * The tenant a request acts in: the one named by X-Tenant-ID, which the caller must belong to, or
 * else the caller's earliest active membership. Undefined for a user in no tenant.
 */
export async function currentTenant(r: ApiRequest, p: Principal): Promise<TenantMembership | undefined> {
  const memberships = await tenantMemberships(r.platform.pool, p.userId, countsDeleted(r.platform));
  const asked = r.header('x-tenant-id')?.trim();
  if (!asked) return memberships[0];
  if (!UUID_RE.test(asked)) throw invalidRequest('X-Tenant-ID must be a tenant id (uuid).', { header: 'X-Tenant-ID' });
  const hit = memberships.find((m) => m.tenantId === asked.toLowerCase());
  if (!hit) throw membershipDenied('tenant');
  return hit;
}

/** The current tenant, when the caller holds one of `roles` in it. */
export async function requireTenantRole(r: ApiRequest, p: Principal, roles: readonly TenantRole[]): Promise<TenantMembership> {
  const m = await currentTenant(r, p);
  if (!m) throw membershipDenied('tenant');
  if (!roles.includes(m.role)) throw forbidden('role_denied', `This needs one of the tenant roles ${roles.join(', ')}; you are ${m.role}.`);
  return m;
}

export function requireSystemAdmin(p: Principal): void {
  if (!p.isSystemAdmin) throw forbidden('role_denied', 'This needs the system_admin role.');
}

/** A path segment that must name a uuid resource; anything else cannot exist. */
export function pathUuid(value: string | undefined, what: string): string {
  if (!isUuid(value)) throw new ApiError(404, 'not_found', `${what} not found.`);
  return value.toLowerCase();
}
