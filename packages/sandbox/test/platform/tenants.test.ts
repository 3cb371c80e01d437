// Tenant administration: a tenant comes with its customer org and default project, slugs are
// unique among live tenants, only system admins may act, and removal takes memberships and the
// Keycloak users that no other tenant still needs.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});

const slug = () => env.uniq('t');
const createTenant = (body: unknown, token = admin) => env.api('POST', '/api/v1/admin/tenants', { token, body });

/** A bootstrapped tenant user who has set a real password, and their access token. */
const tenantUserToken = (tenantId: string, role = 'operator') => env.activeTenantUser(admin, tenantId, { display_name: 'Op Erator', role });

describe('POST /api/v1/admin/tenants', () => {
  it('creates the tenant with a customer org, a default project and a tenant.create audit row', async () => {
    const s = slug();
    const res = await createTenant({ name: 'Acme Research', slug: s });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: s, name: 'Acme Research', id: expect.any(String), org_id: expect.any(String), default_project_id: expect.any(String) });
    const { rows } = await env.pool.query(
      `SELECT o.kind, p.is_default, p.tenant_id FROM platform.tenants t JOIN platform.orgs o ON o.id = t.org_id JOIN platform.projects p ON p.tenant_id = t.id WHERE t.id = $1`,
      [res.body.id],
    );
    expect(rows).toEqual([{ kind: 'customer', is_default: true, tenant_id: res.body.id }]);
    const audit = await env.api('GET', `/api/v1/admin/audit?correlation_id=${res.headers.get('x-correlation-id')}`, { token: admin });
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: 'tenant.create', actor_id: 'sysadmin', target_id: res.body.id })]);
  });

  it('answers 409 slug_taken for the slug of a live tenant', async () => {
    const s = slug();
    expect((await createTenant({ name: 'One', slug: s })).status).toBe(201);
    const again = await createTenant({ name: 'Two', slug: s });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('slug_taken');
  });

  it.each([
    [{}, ['name', 'slug']],
    [{ name: 'X' }, ['slug']],
    [{ name: 'X', slug: 'Has Spaces' }, ['slug']],
    [{ name: 'X', slug: 'ab' }, ['slug']],
    [{ name: '  ', slug: '-bad-' }, ['name', 'slug']],
  ])('rejects %j naming %j', async (body, fields) => {
    const res = await createTenant(body);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
  });
});

describe('GET /api/v1/admin/tenants', () => {
  it('lists and reads live tenants; an unknown id is 404', async () => {
    const created = (await createTenant({ name: 'Listed', slug: slug() })).body;
    const list = await env.api('GET', '/api/v1/admin/tenants', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.tenants).toContainEqual(created);
    expect((await env.api('GET', `/api/v1/admin/tenants/${created.id}`, { token: admin })).body).toEqual(created);
    expect((await env.api('GET', '/api/v1/admin/tenants/6b0f3f3e-1c54-4c48-8b8a-3d3cf8c1f111', { token: admin })).status).toBe(404);
    expect((await env.api('GET', '/api/v1/admin/tenants/not-a-uuid', { token: admin })).status).toBe(404);
  });
});

describe('tenant administration is for system admins only', () => {
  it('answers 401 without a token and 403 to a tenant user', async () => {
    const t = (await createTenant({ name: 'Guarded', slug: slug() })).body;
    const user = await tenantUserToken(t.id, 'tenant_admin');
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/v1/admin/tenants', { name: 'Nope', slug: slug() }],
      ['GET', '/api/v1/admin/tenants'],
      ['GET', `/api/v1/admin/tenants/${t.id}`],
      ['DELETE', `/api/v1/admin/tenants/${t.id}`],
      ['POST', `/api/v1/admin/tenants/${t.id}/users`, {}],
      ['POST', `/api/v1/admin/tenants/${t.id}/users/${user.id}/verify`],
      ['DELETE', `/api/v1/admin/tenants/${t.id}/users/${user.id}`],
      ['GET', '/api/v1/admin/audit'],
      ['GET', '/api/v1/admin/events'],
    ];
    for (const [method, path, body] of calls) {
      expect((await env.api(method, path, { body })).status, `${method} ${path} anonymous`).toBe(401);
      const res = await env.api(method, path, { body, token: user.token });
      expect(res.status, `${method} ${path} as tenant_admin`).toBe(403);
    }
  });
});

describe('DELETE /api/v1/admin/tenants/{tenant_id}', () => {
  it('soft-deletes the tenant and its memberships, and removes Keycloak users left without a tenant', async () => {
    const doomed = (await createTenant({ name: 'Doomed', slug: slug() })).body;
    const other = (await createTenant({ name: 'Other', slug: slug() })).body;
    const only = await tenantUserToken(doomed.id);
    const both = await tenantUserToken(doomed.id);
    // A second live tenant keeps this user's Keycloak account needed.
    await env.pool.query(`INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES (gen_random_uuid(), $1, $2, 'operator')`, [both.id, other.id]);

    const res = await env.api('DELETE', `/api/v1/admin/tenants/${doomed.id}`, { token: admin });
    expect(res.status).toBe(204);
    expect((await env.api('GET', `/api/v1/admin/tenants/${doomed.id}`, { token: admin })).status).toBe(404);
    const { rows } = await env.pool.query(
      `SELECT (SELECT count(*)::int FROM platform.tenant_memberships WHERE tenant_id = $1 AND deleted_at IS NULL) AS tm,
              (SELECT count(*)::int FROM platform.project_memberships pm JOIN platform.projects p ON p.id = pm.project_id WHERE p.tenant_id = $1 AND pm.deleted_at IS NULL) AS pm,
              (SELECT deleted_at IS NOT NULL FROM platform.tenants WHERE id = $1) AS soft`,
      [doomed.id],
    );
    expect(rows[0]).toEqual({ tm: 0, pm: 0, soft: true });
    expect(await env.idp.ctx.store.getUser('sandbox', only.subject)).toBeUndefined();
    expect(await env.idp.ctx.store.getUser('sandbox', both.subject)).toBeDefined();
    // The slug is free again once its tenant is gone.
    expect((await createTenant({ name: 'Reborn', slug: doomed.slug })).status).toBe(201);
    expect((await env.api('DELETE', `/api/v1/admin/tenants/${doomed.id}`, { token: admin })).status).toBe(404);
  });
});
