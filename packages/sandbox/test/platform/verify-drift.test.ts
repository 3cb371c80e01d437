// Drift between the platform and Keycloak: the verify endpoint compares the records now, and the
// reconciliation worker records one drift_detected event per distinct drift (and drift_resolved
// when it is gone), riding out a Keycloak outage instead of crashing.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform, useTestWorker } from '../support/platform.ts';
import { keycloakAdmin } from '../../src/platform/keycloak.ts';
import { startWorker, type DriftReport } from '../../src/platform/worker.ts';

const env = useTestPlatform();
let admin: string;
beforeAll(async () => {
  admin = await env.sysadminToken();
});
// Ticks come from the tests (runOnce), not from the clock.
const worker = useTestWorker(env);

async function bootstrapped(role = 'tenant_admin') {
  const tenant = await env.newTenant(admin, { prefix: 'drift', label: 'Drift' });
  const userId = `u-${tenant.slug}`;
  const body = env.tenantUserBody({ user_id: userId, display_name: 'Dee Rift', role, email: `${userId}@example.test` });
  const res = await env.api('POST', `/api/v1/admin/tenants/${tenant.id}/users`, { token: admin, body });
  expect(res.status).toBe(201);
  return { tenant, userId, subject: res.body.user.idp_subject as string };
}
const verify = (tenantId: string, userId: string) => env.api('POST', `/api/v1/admin/tenants/${tenantId}/users/${userId}/verify`, { token: admin });
async function setAttribute(subject: string, name: string, value: string) {
  const kc = await keycloakAdmin(env.ctx);
  const user = (await kc.users.findOne({ id: subject }))!;
  await kc.users.update({ id: subject }, { ...user, attributes: { ...user.attributes, [name]: [value] } });
}
const driftEvents = async (userId: string) =>
  (await env.api('GET', '/api/v1/admin/events?type=platform.tenant_user.drift_detected', { token: admin })).body.events.filter((e: { payload: { user_id: string } }) => e.payload.user_id === userId);
const mine = (reports: DriftReport[], userId: string) => reports.find((r) => r.user_id === userId);

describe('POST /api/v1/admin/tenants/{tenant_id}/users/{user_id}/verify', () => {
  it('reports in sync after create, drift after a change behind the platform\'s back, and in sync once restored', async () => {
    const u = await bootstrapped();
    const fresh = await verify(u.tenant.id, u.userId);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ user_id: u.userId, tenant_id: u.tenant.id, in_sync: true });
    expect(fresh.body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);

    await setAttribute(u.subject, 'platform_role', 'auditor');
    const drifted = await verify(u.tenant.id, u.userId);
    expect(drifted.body.in_sync).toBe(false);
    expect(drifted.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([{ name: 'attributes.platform_role', expected: 'tenant_admin', actual: 'auditor', ok: false }]);
    const audit = await env.api('GET', `/api/v1/admin/audit?correlation_id=${drifted.headers.get('x-correlation-id')}`, { token: admin });
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: 'user.verify', target_id: u.userId, payload: expect.objectContaining({ in_sync: false }) })]);

    await setAttribute(u.subject, 'platform_role', 'tenant_admin');
    expect((await verify(u.tenant.id, u.userId)).body.in_sync).toBe(true);
  });

  it('stays in sync after the user sets a permanent password (first login done)', async () => {
    const u = await bootstrapped();
    const kc = await keycloakAdmin(env.ctx);
    await kc.users.resetPassword({ id: u.subject, credential: { type: 'password', value: 'Brand-New-Pass-42!', temporary: false } });
    expect((await verify(u.tenant.id, u.userId)).body.in_sync).toBe(true);
  });

  it.each([
    ['a deleted Keycloak user', async (s: string) => void (await (await keycloakAdmin(env.ctx)).users.del({ id: s })), 'exists'],
    ['a disabled Keycloak user', async (s: string) => void (await (await keycloakAdmin(env.ctx)).users.update({ id: s }, { enabled: false })), 'enabled'],
    ['a changed email', async (s: string) => void (await (await keycloakAdmin(env.ctx)).users.update({ id: s }, { email: 'someone-else@example.test' })), 'email'],
    ['a moved tenant_id', (s: string) => setAttribute(s, 'tenant_id', '3f1f6a51-5f0e-4bd1-9ad4-1d9d3e0f0a11'), 'attributes.tenant_id'],
  ])('names %s as a failing check', async (_what, change, failing) => {
    const u = await bootstrapped();
    await change(u.subject);
    const res = await verify(u.tenant.id, u.userId);
    expect(res.body.in_sync).toBe(false);
    expect(res.body.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name)).toContain(failing);
  });

  it('answers 404 for a user not in the tenant', async () => {
    const u = await bootstrapped();
    expect((await verify(u.tenant.id, 'nobody-here')).status).toBe(404);
  });
});

describe('the reconciliation worker', () => {
  it('records one drift event per distinct drift, with the failing checks, and resolves it when restored', async () => {
    const u = await bootstrapped('operator');
    expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: true, event: null });

    await setAttribute(u.subject, 'org_id', 'wrong-org');
    expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: false, event: 'platform.tenant_user.drift_detected' });
    const [event] = await driftEvents(u.userId);
    expect(event.payload).toMatchObject({ user_id: u.userId, tenant_id: u.tenant.id, checks: [{ name: 'attributes.org_id', expected: u.tenant.org_id, actual: 'wrong-org', ok: false }] });

    // Unchanged drift: nothing new on the next ticks.
    expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: false, event: null });
    await worker.runOnce();
    expect(await driftEvents(u.userId)).toHaveLength(1);

    // Different drift: reported again.
    await setAttribute(u.subject, 'org_id', 'another-wrong-org');
    expect(mine(await worker.runOnce(), u.userId)?.event).toBe('platform.tenant_user.drift_detected');
    expect(await driftEvents(u.userId)).toHaveLength(2);

    await setAttribute(u.subject, 'org_id', u.tenant.org_id);
    expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: true, event: 'platform.tenant_user.drift_resolved' });
    expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: true, event: null });
  });

  it('finds a self-signed-up user in sync (its Keycloak username is its email)', async () => {
    const email = `${env.uniq('self')}@example.test`;
    const res = await env.api('POST', '/api/v1/auth/personal/signup', { body: { email, password: 'Correct-Horse-9!', display_name: 'Self Made' } });
    expect(res.status).toBe(201);
    const report = mine(await worker.runOnce(), res.body.user.id);
    expect(report).toMatchObject({ in_sync: true, checks: [], event: null });
  });

  it('skips a tick while Keycloak is down and reports nothing, then carries on', async () => {
    const u = await bootstrapped();
    await setAttribute(u.subject, 'platform_role', 'operator');
    env.idp.ctx.faults.down = true;
    try {
      expect(await worker.runOnce()).toEqual([]);
    } finally {
      env.idp.ctx.faults.down = false;
    }
    expect(await driftEvents(u.userId)).toHaveLength(0);
    expect(env.logs.some((l) => l.msg === 'reconciliation skipped: Keycloak not usable; retrying next tick' && l.code === 'keycloak_unavailable')).toBe(true);
    expect(mine(await worker.runOnce(), u.userId)?.event).toBe('platform.tenant_user.drift_detected');
  });

  it.each([
    ['before its Keycloak user is read (404: not found)', 'getUser', 1],
    ['between reading its Keycloak user and its credentials (404: an error half-way)', 'getUser', 2],
    ['while its credentials are read (none left)', 'getPassword', 1],
  ] as const)('goes on with the rest of the pass when a user is removed %s', async (_when, method, nth) => {
    const [first, gone, last] = [await bootstrapped(), await bootstrapped(), await bootstrapped()];
    const store = env.idp.ctx.store as unknown as Record<string, (...args: string[]) => Promise<unknown>>;
    const original = store[method]!;
    let calls = 0;
    // The pass has listed the users; the IdP's nth store call for `gone` removes it first.
    store[method] = async (...args) => {
      if (args.includes(gone.subject) && ++calls === nth) {
        store[method] = original;
        const removed = await env.api('DELETE', `/api/v1/admin/tenants/${gone.tenant.id}/users/${gone.userId}`, { token: admin });
        expect(removed.status).toBe(204);
      }
      return original.apply(env.idp.ctx.store, args);
    };
    let reports: DriftReport[];
    try {
      reports = await worker.runOnce();
    } finally {
      store[method] = original;
    }
    expect(calls).toBe(nth);
    expect(mine(reports, first.userId)).toMatchObject({ in_sync: true });
    expect(mine(reports, last.userId)).toMatchObject({ in_sync: true });
    expect(mine(reports, gone.userId)).toBeUndefined();
    expect(await driftEvents(gone.userId)).toHaveLength(0);
    expect(env.logs.filter((l) => l.user_id === gone.userId && /failed/.test(String(l.msg)))).toEqual([]);
  });

  it('ticks on its own interval and survives a failing tick', async () => {
    const u = await bootstrapped();
    await setAttribute(u.subject, 'platform_role', 'auditor');
    env.idp.ctx.faults.down = true;
    const ticking = startWorker(env.ctx, { intervalMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      env.idp.ctx.faults.down = false;
      const deadline = Date.now() + 5_000;
      while ((await driftEvents(u.userId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      env.idp.ctx.faults.down = false;
      await ticking.stop();
    }
    expect(await driftEvents(u.userId)).toHaveLength(1);
  });
});

describe('drift_not_reported', () => {
  it('makes verify vouch for every check and the worker stay silent; off, both report the drift', async () => {
    const u = await bootstrapped();
    await setAttribute(u.subject, 'tenant_id', 'somewhere-else');
    env.faults.set({ on: ['drift_not_reported'] });
    try {
      const res = await verify(u.tenant.id, u.userId);
      expect(res.body.in_sync).toBe(true);
      expect(mine(await worker.runOnce(), u.userId)).toMatchObject({ in_sync: true, event: null });
      expect(await driftEvents(u.userId)).toHaveLength(0);
    } finally {
      env.faults.set({ off: ['drift_not_reported'] });
    }
    expect((await verify(u.tenant.id, u.userId)).body.in_sync).toBe(false);
    expect(mine(await worker.runOnce(), u.userId)?.event).toBe('platform.tenant_user.drift_detected');
  });
});
