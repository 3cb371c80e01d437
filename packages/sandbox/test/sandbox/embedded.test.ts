// The zero-install path: the whole sandbox on embedded PGlite, where the IdP and the platform share
// one database connection. Each flow that touches Keycloak and SQL together runs here once, so a
// Keycloak call made while a transaction holds the only connection would hang and fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSandbox, type RunningSandbox } from '../../src/start.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ log: pino({ level: 'silent' }) });
}, 60_000);
afterAll(() => sandbox?.close());

async function api(method: string, path: string, o: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${sandbox.platformUrl}${path}`, {
    method,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body ? { 'content-type': 'application/json' } : {}) },
    body: o.body ? JSON.stringify(o.body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function token(username: string, password: string) {
  const res = await fetch(`${sandbox.idp.url}/realms/sandbox/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'onramp-canary', client_secret: 'sandbox-canary-secret', username, password }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('sandbox on embedded PGlite', () => {
  it('signs up, reads the session, and removes the user again', async () => {
    const email = `embedded-${Date.now()}@example.test`;
    const signup = await api('POST', '/api/v1/auth/personal/signup', { body: { email, password: 'Embedded-Passw0rd!', display_name: 'Embedded User' } });
    expect(signup.status).toBe(201);
    const session = await api('GET', '/api/v1/session', { token: await token(email, 'Embedded-Passw0rd!') });
    expect(session.body).toMatchObject({ role: 'tenant_admin', tenant_id: signup.body.tenant_id, project_id: signup.body.project_id });
    const admin = await token('sysadmin', 'Sandbox-Admin-2026!');
    expect((await api('DELETE', `/api/v1/admin/users/${signup.body.user.id}`, { token: admin })).status).toBe(204);
    expect(await sandbox.idp.ctx.store.findUserByUsername('sandbox', email)).toBeUndefined();
  });

  it('creates a tenant, bootstraps and verifies its admin, and deletes the tenant', async () => {
    const admin = await token('sysadmin', 'Sandbox-Admin-2026!');
    const slug = `emb${Date.now().toString(36)}`;
    const tenant = await api('POST', '/api/v1/admin/tenants', { token: admin, body: { name: `Embedded ${slug}`, slug } });
    expect(tenant.status).toBe(201);
    const tenantId = tenant.body.id ?? tenant.body.tenant?.id;
    const user = await api('POST', `/api/v1/admin/tenants/${tenantId}/users`, {
      token: admin,
      body: { user_id: `${slug}-admin`, display_name: 'Embedded Admin', role: 'tenant_admin', email: `${slug}-admin@example.test`, initial_password: 'Temporary-Passw0rd!' },
    });
    expect(user.status).toBe(201);
    expect(user.body.verification.ok).toBe(true);
    const verify = await api('POST', `/api/v1/admin/tenants/${tenantId}/users/${slug}-admin/verify`, { token: admin });
    expect(verify.body.in_sync).toBe(true);
    expect((await api('DELETE', `/api/v1/admin/tenants/${tenantId}`, { token: admin })).status).toBe(204);
  });
});

describe('closing the sandbox', () => {
  it('does not wait out a reconciliation pass stuck on a slow IdP: the IdP closes first, and the pass fails fast', async () => {
    const s = await startSandbox({ log: pino({ level: 'silent' }), workerIntervalMs: 50 });
    // Slower than the platform's 5 s Keycloak timeout: the pass's first call (the admin login) hangs until then.
    s.idp.ctx.faults.slowMs = 30_000;
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    await s.close();
    // Before: about 4.5 s, the rest of the platform's Keycloak timeout.
    expect(performance.now() - t0).toBeLessThan(3_000);
  }, 60_000);
});
