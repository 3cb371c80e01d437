// GET /api/v1/session: what the console shell renders role and tenant from (seed 002). Never
// partial: a user with an active tenant membership always gets tenant_id and role, also in an
// empty tenant, and the role is the membership's, never a fallback.
import type { Router } from '../http/router.ts';
import type { ApiHandler } from '../http/request.ts';
import { authenticate } from '../http/auth.ts';
import { currentTenant } from '../authz.ts';
import { projectsOfUser } from '../repo/projects.ts';
import { tenantHasInstances } from '../repo/instances.ts';

const session: ApiHandler = async (r) => {
  const p = await authenticate(r);
  const ctx = r.platform;
  const tenant = await currentTenant(r, p);
  const projects = tenant ? await projectsOfUser(ctx.pool, p.userId, tenant.tenantId) : [];
  const defaultProject = projects.find((x) => x.is_default);

  let role: string | null = tenant?.role ?? (p.isSystemAdmin ? 'system_admin' : null);
  // The seed's bug: a brand-new tenant without workload data rendered the auditor view.
  if (role === 'tenant_admin' && ctx.faults.isOn('session_role_fallback_auditor') && !(await tenantHasInstances(ctx.pool, tenant!.tenantId))) role = 'auditor';

  // The tenant's name is for people (the console shows it, the id second); ids stay the keys.
  const scope = ctx.faults.isOn('session_partial') ? {} : { tenant_id: tenant?.tenantId ?? null, tenant_name: tenant?.tenantName ?? null, project_id: defaultProject?.id ?? null };
  return {
    status: 200,
    body: {
      user_id: p.userId,
      email: p.email,
      display_name: p.displayName,
      role,
      is_system_admin: p.isSystemAdmin,
      org_id: p.orgId,
      ...scope,
      projects: projects.map((x) => ({ id: x.id, name: x.name, is_default: x.is_default, role: x.role })),
    },
  };
};

export function registerSession(router: Router<ApiHandler>): void {
  router.add('GET', '/api/v1/session', session);
}
