// OP-071 tenant user bootstrap: every problem named at once, the password policy before Keycloak,
// no "create without Keycloak", and a created user whose evidence, memberships and Keycloak user
// all agree, down to a first login that has to set a new password.
import { beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_PASSWORD, useTestPlatform } from '../support/platform.ts';
import { keycloakAdmin } from '../../src/platform/keycloak.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});

const STRONG = INITIAL_PASSWORD;
const idpUserCount = async () => (await env.idp.ctx.store.listUsers('sandbox')).length;

const newTenant = (name?: string) => env.newTenant(admin, { prefix: 'acme', label: 'Acme', name, expectCreated: true });
const userBody = (over?: Record<string, unknown>) => env.tenantUserBody(over, 'ta');
const bootstrap = (tenantId: string, body: unknown, headers?: Record<string, string>) => env.api('POST', `/api/v1/admin/tenants/${tenantId}/users`, { token: admin, body, headers });
async function withFault<T>(name: string, work: () => Promise<T>): Promise<T> {
  env.faults.set({ on: [name] });
  try {
    return await work();
  } finally {
    env.faults.set({ off: [name] });
  }
}

describe('POST /api/v1/admin/tenants/{tenant_id}/users: validation', () => {
  it('names every missing field at once', async () => {
    const t = await newTenant();
    const res = await bootstrap(t.id, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['display_name', 'email', 'initial_password', 'role', 'user_id']);
  });

  it.each([
    ['role outside the tenant roles', { role: 'system_admin' }, 'role'],
    ['role member (not tenant-facing)', { role: 'member' }, 'role'],
    ['malformed email', { email: 'not-an-email' }, 'email'],
    ['user_id with a space', { user_id: 'tina admin' }, 'user_id'],
    ['blank display_name', { display_name: '   ' }, 'display_name'],
    ['non-string password', { initial_password: 1234567890123 }, 'initial_password'],
  ])('rejects %s', async (_what, over, field) => {
    const t = await newTenant();
    const res = await bootstrap(t.id, userBody(over));
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([expect.objectContaining({ field })]);
  });

  it.each([
    [{ skip_keycloak: true }, 'skip_keycloak'],
    [{ create_without_keycloak: true }, 'create_without_keycloak'],
    [{ keycloak: false }, 'keycloak'],
    [{ skipKeycloak: true }, 'skipKeycloak'],
    [{ keycloak_bootstrap: false }, 'keycloak_bootstrap'],
  ])('rejects the create-without-Keycloak option %j and creates nothing', async (option, field) => {
    const t = await newTenant();
    const before = await idpUserCount();
    const body = userBody(option);
    const res = await bootstrap(t.id, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.details.fields).toEqual([expect.objectContaining({ field })]);
    expect(res.body.message).toContain(field);
    expect(await idpUserCount()).toBe(before);
    expect((await env.pool.query('SELECT 1 FROM platform.users WHERE id = $1', [body.user_id])).rowCount).toBe(0);
  });

  it('reports field problems and the option together', async () => {
    const t = await newTenant();
    const res = await bootstrap(t.id, { skip_keycloak: true, role: 'owner' });
    expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['display_name', 'email', 'initial_password', 'role', 'skip_keycloak', 'user_id']);
  });

  it('answers 404 for an unknown or malformed tenant', async () => {
    expect((await bootstrap('7d1c3d2e-35a8-4a44-9a39-3b8b0d7f2c11', userBody())).status).toBe(404);
    expect((await bootstrap('nope', userBody())).status).toBe(404);
  });

  it('is for system admins only', async () => {
    const t = await newTenant();
    expect((await env.api('POST', `/api/v1/admin/tenants/${t.id}/users`, { body: userBody() })).status).toBe(401);
  });
});

describe('POST /api/v1/admin/tenants/{tenant_id}/users: password policy before Keycloak', () => {
  const cases: [string, (t: { slug: string }) => string, string][] = [
    ['too short', () => 'Aa1!aaaa', 'min_length'],
    ['no upper-case letter', () => 'correct-horse-9!', 'uppercase'],
    ['no lower-case letter', () => 'CORRECT-HORSE-9!', 'lowercase'],
    ['no digit', () => 'Correct-Horse-X!', 'digit'],
    ['no symbol', () => 'CorrectHorse9xx', 'symbol'],
    ['the tenant slug inside', (t) => `Xx9!${t.slug}`, 'tenant_term'],
    ['the tenant name inside', () => 'My-ORION-Pass-9', 'tenant_term'],
  ];
  it.each(cases)('rejects a password with %s, without calling Keycloak', async (_what, password, rule) => {
    const t = await newTenant('Orion');
    const before = await idpUserCount();
    const res = await bootstrap(t.id, userBody({ initial_password: password(t) }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.details.violations.map((v: { rule: string }) => v.rule)).toEqual([rule]);
    expect(await idpUserCount()).toBe(before);
  });

  it('lists every violated rule of one password', async () => {
    const t = await newTenant();
    const res = await bootstrap(t.id, userBody({ initial_password: 'abc' }));
    expect(res.body.details.violations.map((v: { rule: string }) => v.rule)).toEqual(['min_length', 'uppercase', 'digit', 'symbol']);
  });

  it('answers the policy even while Keycloak is down: it is never asked', async () => {
    const t = await newTenant();
    env.idp.ctx.faults.down = true;
    try {
      const res = await bootstrap(t.id, userBody({ initial_password: 'weak' }));
      expect(res.status).toBe(400);
    } finally {
      env.idp.ctx.faults.down = false;
    }
  });
});

describe('POST /api/v1/admin/tenants/{tenant_id}/users: a successful bootstrap', () => {
  it('returns verification evidence, stores it with the correlation id, and leaves a consistent user in both stores', async () => {
    const t = await newTenant();
    const body = userBody();
    const res = await bootstrap(t.id, body);
    expect(res.status).toBe(201);
    const correlationId = res.headers.get('x-correlation-id');
    expect(res.body).toMatchObject({ user: { id: body.user_id, org_id: t.org_id, email: body.email, display_name: 'Tina Admin' }, tenant_id: t.id, role: 'tenant_admin', verification: { ok: true } });
    const checks = res.body.verification.checks as { name: string; expected: unknown; actual: unknown; ok: boolean }[];
    expect(checks.map((c) => c.name)).toEqual([
      'exists', 'username', 'email', 'enabled', 'attributes.platform_user_id', 'attributes.tenant_id', 'attributes.org_id', 'attributes.platform_role', 'temporary_password_pending', 'password_credential',
    ]);
    expect(checks.every((c) => c.ok && c.expected === c.actual)).toBe(true);

    const audit = await env.api('GET', `/api/v1/admin/audit?correlation_id=${correlationId}`, { token: admin });
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ action: 'user.create', actor_id: 'sysadmin', target_id: body.user_id, tenant_id: t.id, correlation_id: correlationId, payload: expect.objectContaining({ verification: checks, role: 'tenant_admin', email: body.email }) }),
    ]);

    const kcUser = (await env.idp.ctx.store.findUserByUsername('sandbox', body.user_id))!;
    expect(kcUser).toMatchObject({ email: body.email, firstName: 'Tina', lastName: 'Admin', enabled: true, requiredActions: ['UPDATE_PASSWORD'] });
    expect(kcUser.attributes).toEqual({ platform_user_id: [body.user_id], tenant_id: [t.id], org_id: [t.org_id], platform_role: ['tenant_admin'] });
    expect(res.body.user.idp_subject).toBe(kcUser.id);

    const { rows: tm } = await env.pool.query('SELECT role FROM platform.tenant_memberships WHERE user_id = $1 AND tenant_id = $2 AND deleted_at IS NULL', [body.user_id, t.id]);
    expect(tm).toEqual([{ role: 'tenant_admin' }]);
    const { rows: pm } = await env.pool.query('SELECT project_id, role FROM platform.project_memberships WHERE user_id = $1 AND deleted_at IS NULL', [body.user_id]);
    expect(pm).toEqual([{ project_id: t.default_project_id, role: 'member' }]);
  });

  it('makes the new user set a password at first login, then the session shows tenant_admin', async ({ skip }) => {
    const t = await newTenant();
    const body = userBody();
    const res = await bootstrap(t.id, body);
    expect(res.status).toBe(201);
    await expect(env.login(body.user_id, STRONG)).rejects.toThrow('Account is not fully set up');

    const kc = await keycloakAdmin(env.ctx);
    await kc.users.resetPassword({ id: res.body.user.idp_subject, credential: { type: 'password', value: 'Brand-New-Pass-42!', temporary: false } });
    const token = await env.login(body.user_id, 'Brand-New-Pass-42!');

    const session = await env.api('GET', '/api/v1/session', { token });
    // GET /api/v1/session is another module's; until it is routed this check waits for it.
    if (session.status === 404 && String(session.body?.message).startsWith('No route')) skip('GET /api/v1/session is not routed yet');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user_id: body.user_id, role: 'tenant_admin', tenant_id: t.id });
  });

  it.each([
    ['the same user_id', (b: ReturnType<typeof userBody>) => ({ ...userBody(), user_id: b.user_id })],
    ['the same email', (b: ReturnType<typeof userBody>) => ({ ...userBody(), email: b.email.toUpperCase() })],
  ])('answers 409 user_exists for %s and leaves the first user alone', async (_what, again) => {
    const t = await newTenant();
    const first = userBody();
    expect((await bootstrap(t.id, first)).status).toBe(201);
    const before = await idpUserCount();
    const res = await bootstrap(t.id, again(first));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('user_exists');
    expect(await idpUserCount()).toBe(before);
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', first.user_id)).toBeDefined();
  });

  it('answers 409 when only Keycloak has the username, without deleting that Keycloak user', async () => {
    const t = await newTenant();
    const body = userBody();
    const kc = await keycloakAdmin(env.ctx);
    const { id } = await kc.users.create({ username: body.user_id, enabled: true });
    const res = await bootstrap(t.id, body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('user_exists');
    expect(await env.idp.ctx.store.getUser('sandbox', id)).toBeDefined();
    expect((await env.pool.query('SELECT 1 FROM platform.users WHERE id = $1', [body.user_id])).rowCount).toBe(0);
  });
});

describe('DELETE /api/v1/admin/tenants/{tenant_id}/users/{user_id}', () => {
  it('soft-deletes the memberships and removes the Keycloak user', async () => {
    const t = await newTenant();
    const body = userBody();
    const created = await bootstrap(t.id, body);
    const res = await env.api('DELETE', `/api/v1/admin/tenants/${t.id}/users/${body.user_id}`, { token: admin });
    expect(res.status).toBe(204);
    const { rows } = await env.pool.query(
      `SELECT (SELECT count(*)::int FROM platform.tenant_memberships WHERE user_id = $1 AND deleted_at IS NULL) AS tm,
              (SELECT count(*)::int FROM platform.project_memberships WHERE user_id = $1 AND deleted_at IS NULL) AS pm,
              (SELECT count(*)::int FROM platform.tenant_memberships WHERE user_id = $1 AND deleted_at IS NOT NULL) AS gone`,
      [body.user_id],
    );
    expect(rows[0]).toEqual({ tm: 0, pm: 0, gone: 1 });
    expect(await env.idp.ctx.store.getUser('sandbox', created.body.user.idp_subject)).toBeUndefined();
    expect((await env.api('DELETE', `/api/v1/admin/tenants/${t.id}/users/${body.user_id}`, { token: admin })).status).toBe(404);
  });
});

describe('faults of the bootstrap: on shows the symptom, off does not', () => {
  type Symptom = (t: Awaited<ReturnType<typeof newTenant>>) => Promise<boolean>;
  const cases: [string, Symptom][] = [
    ['admin_user_missing_project_membership', async (t) => {
      const body = userBody();
      expect((await bootstrap(t.id, body)).status).toBe(201);
      const { rowCount } = await env.pool.query('SELECT 1 FROM platform.project_memberships WHERE user_id = $1 AND project_id = $2 AND deleted_at IS NULL', [body.user_id, t.default_project_id]);
      return rowCount === 0;
    }],
    ['audit_missing_correlation', async (t) => {
      const body = userBody();
      const res = await bootstrap(t.id, body);
      expect(res.status).toBe(201);
      const { rows } = await env.pool.query(`SELECT correlation_id FROM platform.audit_log WHERE action = 'user.create' AND target_id = $1`, [body.user_id]);
      expect(rows).toHaveLength(1);
      return rows[0].correlation_id === null;
    }],
    ['weak_password_accepted', async (t) => {
      // Keycloak's realm policy knows nothing of tenant terms: only the platform's rule stops this one.
      const res = await bootstrap(t.id, userBody({ initial_password: `Xx9!${t.slug}` }));
      return res.status === 201;
    }],
    ['create_without_keycloak_allowed', async (t) => {
      const body = userBody({ skip_keycloak: true });
      const res = await bootstrap(t.id, body);
      const inKeycloak = await env.idp.ctx.store.findUserByUsername('sandbox', body.user_id);
      const { rowCount } = await env.pool.query('SELECT 1 FROM platform.users WHERE id = $1 AND idp_subject IS NULL', [body.user_id]);
      return res.status === 201 && !inKeycloak && rowCount === 1;
    }],
  ];
  it.each(cases)('%s', async (fault, symptom) => {
    expect(await withFault(fault, async () => symptom(await newTenant()))).toBe(true);
    expect(await symptom(await newTenant())).toBe(false);
  });
});
