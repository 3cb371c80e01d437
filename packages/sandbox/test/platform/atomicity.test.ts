// Nothing half-made: when Keycloak fails between create and verify, when verification finds red
// rows, or when the SQL commit fails, neither the platform nor Keycloak keeps the user. Two
// concurrent bootstraps of one user_id leave exactly one user in each store.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform, useTestWorker } from '../support/platform.ts';
import { keycloakAdmin } from '../../src/platform/keycloak.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});
const worker = useTestWorker(env);

const newTenant = () => env.newTenant(admin, { prefix: 'atom', label: 'Atom' });
const userBody = () => env.tenantUserBody({ display_name: 'Ada Tomic' });
const bootstrap = (tenantId: string, body: unknown) => env.api('POST', `/api/v1/admin/tenants/${tenantId}/users`, { token: admin, body });

/** How many users each store has under this user_id. */
async function usersInStores(userId: string) {
  const kc = (await env.idp.ctx.store.listUsers('sandbox')).filter((u) => u.username === userId.toLowerCase()).length;
  const { rows } = await env.pool.query(
    `SELECT (SELECT count(*)::int FROM platform.users WHERE id = $1) AS users,
            (SELECT count(*)::int FROM platform.tenant_memberships WHERE user_id = $1) AS tenant_memberships,
            (SELECT count(*)::int FROM platform.project_memberships WHERE user_id = $1) AS project_memberships`,
    [userId],
  );
  return { keycloak: kc, ...rows[0] };
}
const nothing = { keycloak: 0, users: 0, tenant_memberships: 0, project_memberships: 0 };

/** Replaces one admin-client call of the platform's cached client for the duration of `work`. */
async function wrapUsersCall<T>(name: 'findOne' | 'del', wrap: (orig: (...a: any[]) => Promise<any>) => (...a: any[]) => Promise<any>, work: () => Promise<T>): Promise<T> {
  const kc = await keycloakAdmin(env.ctx);
  const orig = kc.users[name].bind(kc.users);
  (kc.users as any)[name] = wrap(orig);
  try {
    return await work();
  } finally {
    (kc.users as any)[name] = orig;
    env.idp.ctx.faults.down = false;
  }
}
const goDownFirst = (orig: (...a: any[]) => Promise<any>) => async (...a: any[]) => {
  env.idp.ctx.faults.down = true;
  return orig(...a);
};

describe('Keycloak fails between create and verify', () => {
  it('removes the Keycloak user when Keycloak is back for the undo, and answers 422 keycloak_unavailable', async () => {
    const t = await newTenant();
    const body = userBody();
    const res = await wrapUsersCall('findOne', goDownFirst, () =>
      wrapUsersCall('del', (orig) => async (...a) => {
        env.idp.ctx.faults.down = false;
        return orig(...a);
      }, () => bootstrap(t.id, body)),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'identity_provider_failure', code: 'keycloak_unavailable', correlation_id: res.headers.get('x-correlation-id') });
    expect(await usersInStores(body.user_id)).toEqual(nothing);
  });

  it('queues the removal when Keycloak stays down, and the worker finishes it once Keycloak is back', async () => {
    const t = await newTenant();
    const body = userBody();
    const res = await wrapUsersCall('findOne', goDownFirst, async () => {
      const r = await bootstrap(t.id, body);
      // Still down: the platform could not undo, but it committed nothing either.
      expect(await usersInStores(body.user_id)).toEqual({ ...nothing, keycloak: 1 });
      return r;
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('keycloak_unavailable');
    const pending = await env.api('GET', '/api/v1/admin/events?type=platform.keycloak_user.cleanup_pending', { token: admin });
    expect(pending.body.events).toContainEqual(expect.objectContaining({ correlation_id: res.headers.get('x-correlation-id'), payload: expect.objectContaining({ user_id: body.user_id }) }));

    await worker.runOnce();
    expect(await usersInStores(body.user_id)).toEqual(nothing);
    const done = await env.api('GET', '/api/v1/admin/events?type=platform.keycloak_user.cleanup_done', { token: admin });
    expect(done.body.events).toContainEqual(expect.objectContaining({ payload: expect.objectContaining({ user_id: body.user_id }) }));
  });
});

describe('verification finds red rows (keycloak_attribute_mismatch)', () => {
  it('answers 422 keycloak_verification_failed with the checks and keeps no user; off again, the same user is created', async () => {
    const t = await newTenant();
    const body = userBody();
    env.faults.set({ on: ['keycloak_attribute_mismatch'] });
    let res;
    try {
      res = await bootstrap(t.id, body);
    } finally {
      env.faults.set({ off: ['keycloak_attribute_mismatch'] });
    }
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'identity_provider_failure', code: 'keycloak_verification_failed', detail: 'Keycloak user attributes or credentials did not match.', remediation: 'Fix realm mappers/admin config, then retry user creation.' });
    const red = res.body.checks.filter((c: { ok: boolean }) => !c.ok);
    expect(red).toEqual([{ name: 'attributes.tenant_id', expected: t.id, actual: '00000000-0000-4000-8000-00000000dead', ok: false }]);
    expect(res.body.verification).toEqual({ ok: false, checks: res.body.checks });
    expect(await usersInStores(body.user_id)).toEqual(nothing);
    const audit = await env.api('GET', `/api/v1/admin/audit?correlation_id=${res.headers.get('x-correlation-id')}`, { token: admin });
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: 'user.create_failed', payload: expect.objectContaining({ verification: res.body.checks }) })]);

    const retry = await bootstrap(t.id, body);
    expect(retry.status).toBe(201);
    expect(retry.body.verification.ok).toBe(true);
  });
});

describe('the SQL commit fails', () => {
  it('removes the Keycloak user again and commits nothing', async () => {
    const t = await newTenant();
    const body = userBody();
    await env.pool.query(`
      CREATE FUNCTION platform.test_refuse_membership() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test: tenant memberships are refused'; END $$;
      CREATE TRIGGER test_refuse_membership BEFORE INSERT ON platform.tenant_memberships
        FOR EACH ROW EXECUTE FUNCTION platform.test_refuse_membership();`);
    let res;
    try {
      res = await bootstrap(t.id, body);
    } finally {
      await env.pool.query(`DROP TRIGGER test_refuse_membership ON platform.tenant_memberships; DROP FUNCTION platform.test_refuse_membership();`);
    }
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal_error', correlation_id: res.headers.get('x-correlation-id') });
    expect(await usersInStores(body.user_id)).toEqual(nothing);
    expect((await env.pool.query(`SELECT 1 FROM platform.audit_log WHERE action = 'user.create' AND target_id = $1`, [body.user_id])).rowCount).toBe(0);
  });
});

describe('two concurrent bootstraps of one user_id', () => {
  it.each([1, 2, 3, 4, 5])('round %i: one 201, one 409, one user in each store', async () => {
    const t = await newTenant();
    const body = userBody();
    const other = { ...body, email: `other-${body.email}` };
    const results = await Promise.all([bootstrap(t.id, body), bootstrap(t.id, other)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('user_exists');
    expect(await usersInStores(body.user_id)).toEqual({ keycloak: 1, users: 1, tenant_memberships: 1, project_memberships: 1 });
    const winner = results.find((r) => r.status === 201)!;
    expect((await env.idp.ctx.store.findUserByUsername('sandbox', body.user_id))!.id).toBe(winner.body.user.idp_subject);
  });
});
