// Personal self-signup: every bootstrap artifact the runbook's triage looks for, all-at-once
// validation, duplicates, the Keycloak side, compensation when the SQL part fails, and the two
// signup faults.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD, useTestPlatform } from '../support/platform.ts';
import { createUserWithPassword } from '../support/users.ts';

const env = useTestPlatform();

const freshEmail = (tag = 'signup') => `${tag}-${randomUUID().slice(0, 8)}@example.test`;
const signup = (body: unknown) => env.api('POST', '/api/v1/auth/personal/signup', { body });

async function platformRowsFor(email: string) {
  const { rows } = await env.pool.query(
    `SELECT (SELECT count(*)::int FROM platform.users WHERE lower(email) = lower($1)) AS users,
            (SELECT count(*)::int FROM platform.orgs) AS orgs,
            (SELECT count(*)::int FROM platform.tenants) AS tenants,
            (SELECT count(*)::int FROM platform.projects) AS projects`,
    [email],
  );
  return rows[0];
}

describe('personal signup', () => {
  it('creates every bootstrap artifact in one go and the new user can work in the default project', async () => {
    const email = freshEmail('Alice.Smith');
    const res = await signup({ email, password: PASSWORD, display_name: ' Alice Smith ' });
    expect(res.status).toBe(201);
    const correlationId = res.headers.get('x-correlation-id');
    const { org_id: orgId, tenant_id: tenantId, project_id: projectId, user } = res.body;
    expect(res.body).toMatchObject({ role: 'tenant_admin', user: { email: email.toLowerCase(), display_name: 'Alice Smith' } });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);

    const q = async (sql: string, params: unknown[] = [user.id]) => (await env.pool.query(sql, params)).rows;
    expect(await q('SELECT kind FROM platform.orgs WHERE id = $1', [orgId])).toEqual([{ kind: 'personal' }]);
    const [tenant] = await q('SELECT org_id, slug FROM platform.tenants WHERE id = $1', [tenantId]);
    expect(tenant).toMatchObject({ org_id: orgId });
    expect(tenant.slug).toMatch(/^alice-smith-/);
    const [u] = await q('SELECT org_id, idp_subject, email FROM platform.users WHERE id = $1');
    expect(u).toMatchObject({ org_id: orgId, email: email.toLowerCase() });
    expect(await q('SELECT tenant_id, role, deleted_at FROM platform.tenant_memberships WHERE user_id = $1')).toEqual([{ tenant_id: tenantId, role: 'tenant_admin', deleted_at: null }]);
    expect(await q('SELECT id, tenant_id, is_default FROM platform.projects WHERE id = $1', [projectId])).toEqual([{ id: projectId, tenant_id: tenantId, is_default: true }]);
    expect(await q('SELECT project_id, role, deleted_at FROM platform.project_memberships WHERE user_id = $1')).toEqual([{ project_id: projectId, role: 'owner', deleted_at: null }]);
    const [posix] = await q('SELECT uid, gid, username FROM platform.user_posix_identities WHERE user_id = $1');
    expect(posix.uid).toBeGreaterThanOrEqual(100000);
    expect(posix.gid).toBe(posix.uid);
    expect(posix.username).toMatch(/^alice_smith_/);
    expect(await q('SELECT action, actor_id, tenant_id FROM platform.audit_log WHERE correlation_id = $1', [correlationId])).toEqual([{ action: 'user.signup', actor_id: user.id, tenant_id: tenantId }]);

    const kcUser = await env.idp.ctx.store.getUser('sandbox', u.idp_subject);
    expect(kcUser).toMatchObject({
      username: email.toLowerCase(), email: email.toLowerCase(), firstName: 'Alice Smith', enabled: true, emailVerified: true, requiredActions: [],
      attributes: { platform_user_id: [user.id], org_id: [orgId], tenant_id: [tenantId], platform_role: ['tenant_admin'] },
    });

    const token = await env.login(email, PASSWORD);
    const session = await env.api('GET', '/api/v1/session', { token });
    expect(session.body).toEqual({
      user_id: user.id, email: email.toLowerCase(), display_name: 'Alice Smith', role: 'tenant_admin', is_system_admin: false,
      org_id: orgId, tenant_id: tenantId, tenant_name: "Alice Smith's workspace", project_id: projectId,
      projects: [{ id: projectId, name: 'Default project', is_default: true, role: 'owner' }],
    });
    const created = await env.api('POST', '/api/v1/instances', { token, headers: { 'x-project-id': projectId }, body: { name: 'first-gpu', gpu_type: 'h100' } });
    expect(created.status).toBe(201);
    const listed = await env.api('GET', '/api/v1/instances', { token, headers: { 'x-project-id': projectId } });
    expect(listed.body.instances.map((i: { name: string }) => i.name)).toEqual(['first-gpu']);
  });

  it('derives a different slug and posix name when the email local part is taken', async () => {
    const a = await signup({ email: 'twin@a.example', password: PASSWORD, display_name: 'Twin A' });
    const b = await signup({ email: 'twin@b.example', password: PASSWORD, display_name: 'Twin B' });
    expect([a.status, b.status]).toEqual([201, 201]);
    const { rows } = await env.pool.query(
      `SELECT t.slug, x.username FROM platform.tenants t JOIN platform.tenant_memberships m ON m.tenant_id = t.id
         JOIN platform.user_posix_identities x ON x.user_id = m.user_id WHERE m.user_id = ANY($1) ORDER BY t.created_at`,
      [[a.body.user.id, b.body.user.id]],
    );
    expect(rows).toEqual([{ slug: 'twin', username: 'twin' }, { slug: 'twin-2', username: 'twin2' }]);
  });

  describe('validation: every problem in one 400, before Keycloak is called', () => {
    const email = 'valid-user@example.test';
    const cases: { name: string; body: Record<string, unknown>; fields: Record<string, string[] | true> }[] = [
      { name: 'empty body', body: {}, fields: { email: true, password: true, display_name: true } },
      { name: 'email not an address', body: { email: 'not-an-email', password: PASSWORD, display_name: 'X' }, fields: { email: true } },
      { name: 'email not a string', body: { email: 42, password: PASSWORD, display_name: 'X' }, fields: { email: true } },
      { name: 'display_name blank', body: { email, password: PASSWORD, display_name: '   ' }, fields: { display_name: true } },
      { name: 'display_name too long', body: { email, password: PASSWORD, display_name: 'x'.repeat(101) }, fields: { display_name: true } },
      { name: 'display_name with control characters', body: { email, password: PASSWORD, display_name: 'bell\u0007' }, fields: { display_name: true } },
      { name: 'password not a string', body: { email, password: 123456789012, display_name: 'X' }, fields: { password: true } },
      { name: 'password too short', body: { email, password: 'Sh0rt!', display_name: 'X' }, fields: { password: ['min_length'] } },
      { name: 'password without upper case', body: { email, password: 'lowercase-only-42', display_name: 'X' }, fields: { password: ['uppercase'] } },
      { name: 'password without lower case', body: { email, password: 'UPPERCASE-ONLY-42', display_name: 'X' }, fields: { password: ['lowercase'] } },
      { name: 'password without digit', body: { email, password: 'No-Digits-Here!', display_name: 'X' }, fields: { password: ['digit'] } },
      { name: 'password without symbol', body: { email, password: 'NoSymbolsHere42', display_name: 'X' }, fields: { password: ['symbol'] } },
      { name: 'password containing the tenant slug', body: { email, password: 'My-Valid-User-42', display_name: 'X' }, fields: { password: ['tenant_term'] } },
      { name: 'everything wrong at once', body: { email: 'x', password: 'abc', display_name: '' }, fields: { email: true, password: ['min_length', 'uppercase', 'digit', 'symbol'], display_name: true } },
    ];
    it.each(cases)('$name', async ({ body, fields }) => {
      const kcUsersBefore = (await env.idp.ctx.store.listUsers('sandbox')).length;
      const res = await signup(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', correlation_id: res.headers.get('x-correlation-id') });
      const got = Object.fromEntries(res.body.details.fields.map((f: { field: string; rules?: string[] }) => [f.field, f.rules ?? true]));
      expect(got).toEqual(fields);
      expect((await env.idp.ctx.store.listUsers('sandbox')).length).toBe(kcUsersBefore);
      expect((await platformRowsFor(email)).users).toBe(0);
    });
  });

  it('answers 409 email_taken for an email the platform knows, in any letter case', async () => {
    const email = freshEmail('dup');
    expect((await signup({ email, password: PASSWORD, display_name: 'First' })).status).toBe(201);
    const again = await signup({ email: email.toUpperCase(), password: PASSWORD, display_name: 'Second' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'email_taken' });
  });

  it('answers 409 email_taken when only Keycloak has the email, and creates no platform rows', async () => {
    const email = freshEmail('kc-only');
    await createUserWithPassword(env.idp, PASSWORD, { username: email, email });
    const before = await platformRowsFor(email);
    const res = await signup({ email, password: PASSWORD, display_name: 'Late' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('email_taken');
    expect(await platformRowsFor(email)).toEqual(before);
  });

  it("reports Keycloak's password policy refusal as 400 invalid_request on the password field", async () => {
    // With the platform's own check skipped, only Keycloak's realm policy stands in the way.
    env.faults.set({ on: ['weak_password_accepted'] });
    try {
      const email = freshEmail('weak');
      const res = await signup({ email, password: 'weakpassword', display_name: 'Weak' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.details.fields).toEqual([expect.objectContaining({ field: 'password', rules: [expect.stringMatching(/^invalidPassword/)] })]);
      expect(await env.idp.ctx.store.findUserByUsername('sandbox', email)).toBeUndefined();
    } finally {
      env.faults.set({ off: ['weak_password_accepted'] });
    }
  });

  it('removes the Keycloak user again when the SQL unit of work fails, leaving nothing behind', async () => {
    await env.pool.query(`CREATE FUNCTION public.refuse_posix() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'posix identities refused by test'; END $$`);
    await env.pool.query('CREATE TRIGGER refuse_posix BEFORE INSERT ON platform.user_posix_identities FOR EACH ROW EXECUTE FUNCTION public.refuse_posix()');
    const email = freshEmail('compensate');
    try {
      const before = await platformRowsFor(email);
      const res = await signup({ email, password: PASSWORD, display_name: 'Half Made' });
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'internal_error', correlation_id: res.headers.get('x-correlation-id') });
      expect(await platformRowsFor(email)).toEqual(before);
      expect((await env.pool.query('SELECT 1 FROM platform.audit_log WHERE correlation_id = $1', [res.body.correlation_id])).rowCount).toBe(0);
      expect(await env.idp.ctx.store.findUserByUsername('sandbox', email)).toBeUndefined();
    } finally {
      await env.pool.query('DROP TRIGGER refuse_posix ON platform.user_posix_identities; DROP FUNCTION public.refuse_posix()');
    }
    // The same email signs up fine once the database works again: nothing half-made blocks it.
    expect((await signup({ email, password: PASSWORD, display_name: 'Whole' })).status).toBe(201);
  });
});

describe('signup faults', () => {
  const artifacts = async (userId: string) =>
    (await env.pool.query(
      `SELECT (SELECT count(*)::int FROM platform.project_memberships WHERE user_id = $1) AS project_memberships,
              (SELECT count(*)::int FROM platform.projects p JOIN platform.tenant_memberships m ON m.tenant_id = p.tenant_id WHERE m.user_id = $1) AS projects,
              (SELECT count(*)::int FROM platform.user_posix_identities WHERE user_id = $1) AS posix`,
      [userId],
    )).rows[0];

  it('signup_skips_default_project: 201 without default project or owner membership, so the session has no project', async () => {
    env.faults.set({ on: ['signup_skips_default_project'] });
    const email = freshEmail('noproj');
    const broken = await signup({ email, password: PASSWORD, display_name: 'No Project' });
    env.faults.set({ off: ['signup_skips_default_project'] });
    expect(broken.status).toBe(201);
    expect(broken.body.project_id).toBeNull();
    expect(await artifacts(broken.body.user.id)).toEqual({ project_memberships: 0, projects: 0, posix: 1 });
    const session = await env.api('GET', '/api/v1/session', { token: await env.login(email, PASSWORD) });
    expect(session.body).toMatchObject({ tenant_id: broken.body.tenant_id, role: 'tenant_admin', project_id: null, projects: [] });

    const fixed = await signup({ email: freshEmail('noproj'), password: PASSWORD, display_name: 'With Project' });
    expect(fixed.body.project_id).toBeTruthy();
    expect(await artifacts(fixed.body.user.id)).toEqual({ project_memberships: 1, projects: 1, posix: 1 });
  });

  it('signup_skips_posix_identity: 201 without the user_posix_identities row', async () => {
    env.faults.set({ on: ['signup_skips_posix_identity'] });
    const broken = await signup({ email: freshEmail('noposix'), password: PASSWORD, display_name: 'No Posix' });
    env.faults.set({ off: ['signup_skips_posix_identity'] });
    expect(broken.status).toBe(201);
    expect(await artifacts(broken.body.user.id)).toEqual({ project_memberships: 1, projects: 1, posix: 0 });

    const fixed = await signup({ email: freshEmail('noposix'), password: PASSWORD, display_name: 'With Posix' });
    expect(await artifacts(fixed.body.user.id)).toEqual({ project_memberships: 1, projects: 1, posix: 1 });
  });
});

describe('DELETE /api/v1/admin/users/{user_id} (cleanup of self-signups)', () => {
  const remove = async (userId: string) => env.api('DELETE', `/api/v1/admin/users/${encodeURIComponent(userId)}`, { token: await env.sysadminToken() });

  it('removes the user with its personal org, tenant, project, memberships, posix identity and Keycloak user', async () => {
    const email = freshEmail('cleanup');
    const made = (await signup({ email, password: PASSWORD, display_name: 'Cleanup' })).body;
    // The system admin's first request provisions its operator org: make it before counting.
    expect((await env.api('GET', '/api/v1/session', { token: await env.sysadminToken() })).status).toBe(200);
    const before = await platformRowsFor(email);
    const res = await remove(made.user.id);
    expect(res.status).toBe(204);
    const left = await env.pool.query(
      `SELECT (SELECT count(*)::int FROM platform.orgs WHERE id = $1) AS orgs, (SELECT count(*)::int FROM platform.tenants WHERE id = $2) AS tenants,
              (SELECT count(*)::int FROM platform.projects WHERE id = $3) AS projects, (SELECT count(*)::int FROM platform.users WHERE id = $4) AS users,
              (SELECT count(*)::int FROM platform.user_posix_identities WHERE user_id = $4) AS posix`,
      [made.org_id, made.tenant_id, made.project_id, made.user.id],
    );
    expect(left.rows[0]).toEqual({ orgs: 0, tenants: 0, projects: 0, users: 0, posix: 0 });
    expect(await platformRowsFor(email)).toMatchObject({ orgs: before.orgs - 1, tenants: before.tenants - 1, projects: before.projects - 1 });
    expect(await env.idp.ctx.store.findUserByUsername('sandbox', email)).toBeUndefined();
    const audit = await env.pool.query('SELECT action, actor_id, target_id FROM platform.audit_log WHERE correlation_id = $1', [res.headers.get('x-correlation-id')]);
    expect(audit.rows).toEqual([{ action: 'user.delete', actor_id: 'sysadmin', target_id: made.user.id }]);
  });

  it('still removes the platform side when Keycloak no longer has the user', async () => {
    const email = freshEmail('kc-gone');
    const made = (await signup({ email, password: PASSWORD, display_name: 'Gone' })).body;
    const kcUser = await env.idp.ctx.store.findUserByUsername('sandbox', email);
    await env.idp.ctx.store.deleteUser('sandbox', kcUser!.id);
    expect((await remove(made.user.id)).status).toBe(204);
    expect((await env.pool.query('SELECT 1 FROM platform.users WHERE id = $1', [made.user.id])).rowCount).toBe(0);
  });

  it('answers 404 for an unknown user and 409 for a system admin', async () => {
    const unknown = await remove(randomUUID());
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const admin = await remove('sysadmin');
    expect([admin.status, admin.body.code]).toEqual([409, 'user_is_system_admin']);
  });
});
