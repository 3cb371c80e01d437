// Agent enrollment tokens: a tenant admin (also of a brand-new, empty tenant) creates one and sees
// its secret once; afterwards only metadata is readable, and only a hash is stored. Other tenant
// roles are refused.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});

const newTenant = () => env.newTenant(admin, { prefix: 'enr', label: 'Enroll' });
/** A bootstrapped tenant user past first login, and their access token. */
const member = (tenantId: string, role: string) => env.activeTenantUser(admin, tenantId, { display_name: 'En Roll', role });
const createToken = (token: string, body: unknown, headers?: Record<string, string>) => env.api('POST', '/api/v1/agent-enrollment/tokens', { token, body, headers });
const listTokens = (token: string, headers?: Record<string, string>) => env.api('GET', '/api/v1/agent-enrollment/tokens', { token, headers });

describe('POST /api/v1/agent-enrollment/tokens', () => {
  it('gives a new tenant admin of an empty tenant the secret once, and stores only its hash', async () => {
    const t = await newTenant();
    const ta = await member(t.id, 'tenant_admin');
    const before = Date.now();
    const res = await createToken(ta.token, { name: 'rack-1', expires_in_hours: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String), name: 'rack-1', tenant_id: t.id, prefix: expect.any(String), expires_at: expect.any(String), created_at: expect.any(String), created_by: ta.id, secret: expect.any(String),
    });
    expect(res.body.secret.length).toBeGreaterThanOrEqual(43);
    expect(res.body.secret.startsWith(res.body.prefix)).toBe(true);
    const hours = (Date.parse(res.body.expires_at) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(1.99);
    expect(hours).toBeLessThan(2.01);

    const { rows } = await env.pool.query('SELECT to_jsonb(e) AS row FROM platform.enrollment_tokens e WHERE id = $1', [res.body.id]);
    expect(rows[0].row.secret_hash).toBe(createHash('sha256').update(res.body.secret).digest('hex'));
    expect(JSON.stringify(rows[0].row)).not.toContain(res.body.secret);
  });

  it.each([
    [{}, ['name']],
    [{ name: '  ' }, ['name']],
    [{ name: 'x', expires_in_hours: 0 }, ['expires_in_hours']],
    [{ name: 'x', expires_in_hours: 1.5 }, ['expires_in_hours']],
    [{ expires_in_hours: 'soon' }, ['name', 'expires_in_hours']],
  ])('rejects %j naming %j', async (body, fields) => {
    const ta = await member((await newTenant()).id, 'tenant_admin');
    const res = await createToken(ta.token, body);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
  });
});

describe('GET /api/v1/agent-enrollment/tokens', () => {
  it("lists the current tenant's tokens as metadata only, the same on every reload", async () => {
    const t = await newTenant();
    const ta = await member(t.id, 'tenant_admin');
    const a = (await createToken(ta.token, { name: 'first' })).body;
    const b = (await createToken(ta.token, { name: 'second' })).body;
    const otherTenantAdmin = await member((await newTenant()).id, 'tenant_admin');
    await createToken(otherTenantAdmin.token, { name: 'elsewhere' });

    for (let reload = 0; reload < 2; reload++) {
      const res = await listTokens(ta.token);
      expect(res.status).toBe(200);
      const strip = ({ secret: _secret, ...meta }: Record<string, unknown>) => meta;
      expect(res.body.tokens).toEqual([strip(a), strip(b)]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(a.secret);
      expect(text).not.toContain('secret');
    }
  });
});

describe('who may use enrollment tokens', () => {
  it.each(['operator', 'auditor'])('refuses a %s with 403 role_denied, for create and list', async (role) => {
    const t = await newTenant();
    const user = await member(t.id, role);
    const created = await createToken(user.token, { name: 'nope' });
    expect(created.status).toBe(403);
    expect(created.body.code).toBe('role_denied');
    expect((await listTokens(user.token)).status).toBe(403);
    expect((await env.pool.query('SELECT 1 FROM platform.enrollment_tokens WHERE tenant_id = $1', [t.id])).rowCount).toBe(0);
  });

  it('refuses a caller without any tenant (the system admin) and a tenant named in X-Tenant-ID that is not theirs', async () => {
    expect((await createToken(admin, { name: 'nope' })).status).toBe(403);
    const ta = await member((await newTenant()).id, 'tenant_admin');
    const foreign = await newTenant();
    const res = await createToken(ta.token, { name: 'nope' }, { 'X-Tenant-ID': foreign.id });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('membership_denied');
  });

  it('acts in the tenant named by X-Tenant-ID when the caller is its tenant admin', async () => {
    const first = await newTenant();
    const second = await newTenant();
    const ta = await member(first.id, 'operator');
    await env.pool.query(`INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES (gen_random_uuid(), $1, $2, 'tenant_admin')`, [ta.id, second.id]);
    expect((await createToken(ta.token, { name: 'default tenant' })).status).toBe(403);
    const res = await createToken(ta.token, { name: 'named tenant' }, { 'X-Tenant-ID': second.id });
    expect(res.status).toBe(201);
    expect(res.body.tenant_id).toBe(second.id);
  });

  it('answers 401 without a token', async () => {
    expect((await env.api('GET', '/api/v1/agent-enrollment/tokens')).status).toBe(401);
  });
});
