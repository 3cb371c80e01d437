// SCIM connections: a tenant admin (also of a brand-new, empty tenant) records which directory
// provisions the tenant; the list has the current tenant's live connections, oldest first; removal
// and the tenant's removal take them out of it, audited. Other roles and other tenants are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});

const newTenant = () => env.newTenant(admin, { prefix: 'scim', label: 'Scim' });
const member = (tenantId: string, role: string) => env.activeTenantUser(admin, tenantId, { display_name: 'Sc Im', role });
const create = (token: string, body: unknown, headers?: Record<string, string>) => env.api('POST', '/api/v1/scim/connections', { token, body, headers });
const list = (token: string) => env.api('GET', '/api/v1/scim/connections', { token });
const remove = (token: string, id: string) => env.api('DELETE', `/api/v1/scim/connections/${id}`, { token });
const names = async (token: string) => (await list(token)).body.connections.map((c: { name: string }) => c.name);

describe('POST and GET /api/v1/scim/connections', () => {
  it("records a new tenant admin's connection in the empty tenant and lists the tenant's own, oldest first", async () => {
    const t = await newTenant();
    const ta = await member(t.id, 'tenant_admin');
    expect((await list(ta.token)).body).toEqual({ connections: [] });
    const a = await create(ta.token, { name: 'Corporate Okta', provider: 'okta' });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), tenant_id: t.id, name: 'Corporate Okta', provider: 'okta', created_at: expect.any(String), created_by: ta.id });
    const b = await create(ta.token, { name: '  Contractors  ' });
    expect([b.status, b.body.name, b.body.provider]).toEqual([201, 'Contractors', 'other']);
    const elsewhere = await member((await newTenant()).id, 'tenant_admin');
    await create(elsewhere.token, { name: 'elsewhere', provider: 'entra_id' });

    expect((await list(ta.token)).body.connections).toEqual([a.body, b.body]);
    const audit = await env.pool.query(`SELECT action, payload FROM platform.audit_log WHERE target_id = $1`, [a.body.id]);
    expect(audit.rows).toEqual([{ action: 'scim_connection.create', payload: { name: 'Corporate Okta', provider: 'okta' } }]);
  });

  it.each([
    [{}, ['name']],
    [{ name: '  ' }, ['name']],
    [{ name: 'x'.repeat(101) }, ['name']],
    [{ name: 'x', provider: 'ldap' }, ['provider']],
    [{ provider: 7 }, ['name', 'provider']],
  ])('rejects %j naming %j', async (body, fields) => {
    const ta = await member((await newTenant()).id, 'tenant_admin');
    const res = await create(ta.token, body);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
  });
});

describe('DELETE /api/v1/scim/connections/{id}', () => {
  it("removes the tenant's connection (audited), and answers 404 for another tenant's, an unknown and a removed one", async () => {
    const ta = await member((await newTenant()).id, 'tenant_admin');
    const other = await member((await newTenant()).id, 'tenant_admin');
    const mine = (await create(ta.token, { name: 'mine' })).body;
    const theirs = (await create(other.token, { name: 'theirs' })).body;
    expect((await remove(ta.token, theirs.id)).status).toBe(404);
    expect(await names(other.token)).toEqual(['theirs']);
    expect((await remove(ta.token, mine.id)).status).toBe(204);
    expect(await names(ta.token)).toEqual([]);
    for (const id of [mine.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) expect((await remove(ta.token, id)).status, id).toBe(404);
    const audit = await env.pool.query(`SELECT action FROM platform.audit_log WHERE target_id = $1 ORDER BY id`, [mine.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['scim_connection.create', 'scim_connection.remove']);
  });

  it("is done for every connection when the tenant is removed", async () => {
    const t = await newTenant();
    const ta = await member(t.id, 'tenant_admin');
    await create(ta.token, { name: 'goes with the tenant' });
    expect((await env.api('DELETE', `/api/v1/admin/tenants/${t.id}`, { token: admin })).status).toBe(204);
    const { rows } = await env.pool.query(`SELECT name FROM platform.scim_connections WHERE tenant_id = $1 AND deleted_at IS NULL`, [t.id]);
    expect(rows).toEqual([]);
  });
});

describe('who may use SCIM connections', () => {
  it.each(['operator', 'auditor'])('refuses a %s with 403 role_denied, for create, list and remove', async (role) => {
    const t = await newTenant();
    const ta = await member(t.id, 'tenant_admin');
    const kept = (await create(ta.token, { name: 'kept' })).body;
    const user = await member(t.id, role);
    const res = await create(user.token, { name: 'nope' });
    expect([res.status, res.body.code]).toEqual([403, 'role_denied']);
    expect((await list(user.token)).status).toBe(403);
    expect((await remove(user.token, kept.id)).status).toBe(403);
    expect(await names(ta.token)).toEqual(['kept']);
  });

  it('refuses the system admin (no tenant) with 403 and a caller without a token with 401', async () => {
    expect((await create(admin, { name: 'nope' })).status).toBe(403);
    expect((await env.api('GET', '/api/v1/scim/connections')).status).toBe(401);
  });
});
