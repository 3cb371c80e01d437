// GET /api/v1/session: never partial, the membership's role (never an auditor fallback), the
// earliest active tenant unless X-Tenant-ID picks another, and the two session faults.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD, useTestPlatform } from '../support/platform.ts';
import { createUserWithPassword } from '../support/users.ts';

const env = useTestPlatform();

/** A customer tenant made straight in SQL: tenant administration is not what this file tests. */
async function customerTenant(): Promise<string> {
  const orgId = randomUUID();
  const tenantId = randomUUID();
  await env.pool.query(`INSERT INTO platform.orgs (id, name, kind) VALUES ($1, 'Customer', 'customer')`, [orgId]);
  await env.pool.query(`INSERT INTO platform.tenants (id, org_id, slug, name) VALUES ($1, $2, $3, 'Customer')`, [tenantId, orgId, `c-${tenantId.slice(0, 8)}`]);
  return tenantId;
}

const session = (token?: string, headers?: Record<string, string>) => env.api('GET', '/api/v1/session', { token, headers });

describe('GET /api/v1/session', () => {
  it('gives a tenant admin of an empty tenant (no project, no instances) tenant_id and role tenant_admin', async () => {
    const tenantId = await customerTenant();
    const admin = await env.addTenantMember(tenantId, 'tenant_admin');
    const res = await session(admin.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: admin.id, role: 'tenant_admin', tenant_id: tenantId, project_id: null, projects: [] });
  });

  it.each(['operator', 'auditor', 'member'])('reports the membership role %s as is', async (role) => {
    const tenantId = await customerTenant();
    const user = await env.addTenantMember(tenantId, role);
    expect((await session(user.token)).body).toMatchObject({ role, tenant_id: tenantId });
  });

  it('gives the system admin role system_admin and no tenant', async () => {
    const res = await session(await env.sysadminToken());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: 'sysadmin', role: 'system_admin', is_system_admin: true, tenant_id: null, project_id: null, projects: [] });
  });

  it('takes the earliest active tenant, skips removed memberships, and lets X-Tenant-ID pick another one', async () => {
    const u = await env.signup('multi');
    const second = await customerTenant();
    await env.joinTenant(u.user.id, second, 'operator');
    expect((await session(u.token)).body).toMatchObject({ tenant_id: u.tenant_id, role: 'tenant_admin', project_id: u.project_id });

    const picked = await session(u.token, { 'x-tenant-id': second });
    expect(picked.body).toMatchObject({ tenant_id: second, role: 'operator', project_id: null, projects: [] });

    const foreign = await session(u.token, { 'x-tenant-id': await customerTenant() });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('membership_denied');
    expect((await session(u.token, { 'x-tenant-id': 'nope' })).status).toBe(400);

    await env.pool.query('UPDATE platform.tenant_memberships SET deleted_at = now() WHERE user_id = $1 AND tenant_id = $2', [u.user.id, u.tenant_id]);
    expect((await session(u.token)).body).toMatchObject({ tenant_id: second, role: 'operator' });
  });

  it('answers 401 without a token and for a Keycloak user the platform does not know', async () => {
    expect((await session()).status).toBe(401);
    const stranger = await createUserWithPassword(env.idp, PASSWORD);
    const res = await session(await env.login(stranger.username, PASSWORD));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });
});

describe('session faults', () => {
  it('session_partial: tenant_id and project_id are missing while on, present again when off', async () => {
    const u = await env.signup('partial');
    env.faults.set({ on: ['session_partial'] });
    const broken = await session(u.token);
    env.faults.set({ off: ['session_partial'] });
    expect(broken.status).toBe(200);
    expect(broken.body).not.toHaveProperty('tenant_id');
    expect(broken.body).not.toHaveProperty('project_id');
    expect((await session(u.token)).body).toMatchObject({ tenant_id: u.tenant_id, project_id: u.project_id });
  });

  it('session_role_fallback_auditor: a tenant admin without instances is shown as auditor while on', async () => {
    const u = await env.signup('fallback');
    env.faults.set({ on: ['session_role_fallback_auditor'] });
    try {
      expect((await session(u.token)).body.role).toBe('auditor');
      // The seed's trigger is the empty tenant: with workload data the right role comes back.
      const created = await env.api('POST', '/api/v1/instances', { token: u.token, headers: { 'x-project-id': u.project_id }, body: { name: 'gpu-1', gpu_type: 'a100' } });
      expect(created.status).toBe(201);
      expect((await session(u.token)).body.role).toBe('tenant_admin');
    } finally {
      env.faults.set({ off: ['session_role_fallback_auditor'] });
    }
    const fresh = await env.signup('fallback');
    expect((await session(fresh.token)).body.role).toBe('tenant_admin');
  });
});
