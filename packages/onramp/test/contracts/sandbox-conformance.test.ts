// The embedded sandbox honours the contract: every response it gives on the success and error paths
// of every operation in openapi.json validates with zero violations, and the faults that break the
// contract are caught by it.
import { randomUUID } from 'node:crypto';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContracts, type Contracts, type ResponseCheck } from '../../src/contracts/index.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/start.ts';
import { ADMIN_CLIENT_ID, SANDBOX_REALM } from '../../../sandbox/src/idp/ready.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';

const pg = useTestPostgres();
let sandbox: RunningSandbox;
let contracts: Contracts;
beforeAll(async () => {
  [contracts, sandbox] = await Promise.all([loadContracts(), pg.createDatabase().then((databaseUrl) => startSandbox({ databaseUrl, log: pino({ level: 'silent' }), workerIntervalMs: 250 }))]);
}, 60_000);
afterAll(() => sandbox?.close());

interface Call {
  status: number;
  body: any;
  correlationId: string | null;
  check: ResponseCheck;
}

/** operationId -> the statuses this file saw for it. */
const exercised = new Map<string, Set<number>>();

async function call(method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Call> {
  const res = await fetch(`${sandbox.platformUrl}${path}`, {
    method,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body ? { 'content-type': 'application/json' } : {}), ...o.headers },
    body: o.body ? JSON.stringify(o.body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const check = contracts.validateResponse({ method, path, status: res.status, body });
  if (check.operationId) {
    const seen = exercised.get(check.operationId) ?? new Set<number>();
    exercised.set(check.operationId, seen.add(res.status));
  }
  return { status: res.status, body, correlationId: res.headers.get('x-correlation-id'), check };
}

/** The call answers `status` and keeps the contract: a documented status, zero violations. */
async function conforms(status: number, method: string, path: string, o?: Parameters<typeof call>[2]): Promise<Call> {
  const r = await call(method, path, o);
  expect({ status: r.status, ...r.check }, `${method} ${path}`).toEqual({ status, operationId: expect.any(String), ...(r.check.schema ? { schema: r.check.schema } : {}), violations: [] });
  // The envelope's correlation id is the one in the header: a triager can start from either.
  if (status >= 400) expect(r.body.correlation_id).toBe(r.correlationId);
  return r;
}

async function token(username: string, password: string): Promise<string> {
  const res = await fetch(`${sandbox.idp.url}/realms/sandbox/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'onramp-canary', client_secret: 'sandbox-canary-secret', username, password }),
  });
  const out = (await res.json()) as { access_token?: string };
  if (!out.access_token) throw new Error(`no token for ${username}: ${JSON.stringify(out)}`);
  return out.access_token;
}

/** Changes a Keycloak user behind the platform's back, as an admin in Keycloak's console would. */
async function driftKeycloakUser(subject: string, attribute: string, value: string): Promise<void> {
  const realm = sandbox.idp.ctx.realms.get(SANDBOX_REALM)!.realm;
  const kc = new KcAdminClient({ baseUrl: sandbox.idp.url, realmName: SANDBOX_REALM });
  await kc.auth({ grantType: 'client_credentials', clientId: ADMIN_CLIENT_ID, clientSecret: realm.clients.find((c) => c.clientId === ADMIN_CLIENT_ID)!.secret! });
  const u = (await kc.users.findOne({ id: subject }))!;
  await kc.users.update({ id: subject }, { ...u, attributes: { ...u.attributes, [attribute]: [value] } });
}

async function withFaults<T>(on: string[], run: () => Promise<T>): Promise<T> {
  sandbox.faults.set({ on });
  try {
    return await run();
  } finally {
    sandbox.faults.set({ off: on });
  }
}

const run = Date.now().toString(36);
const PASSWORD = 'Conformance-Passw0rd!';
const TEMP_PASSWORD = 'Temporary-Passw0rd!';
const UNKNOWN = randomUUID();

describe('the sandbox keeps the contract', () => {
  let admin: string;
  let user: string;
  let signup: any;
  const email = `conform-${run}@example.test`;

  beforeAll(async () => {
    admin = await token('sysadmin', 'Sandbox-Admin-2026!');
  });

  it('signup: 201, 400, 409, 422', async () => {
    signup = (await conforms(201, 'POST', '/api/v1/auth/personal/signup', { body: { email, password: PASSWORD, display_name: 'Conformance User' } })).body;
    user = await token(email, PASSWORD);
    const bad = await conforms(400, 'POST', '/api/v1/auth/personal/signup', { body: { email: 'not-an-email' } });
    expect(bad.body.details.fields.length).toBeGreaterThan(1);
    await conforms(409, 'POST', '/api/v1/auth/personal/signup', { body: { email, password: PASSWORD, display_name: 'Again' } });
    await withFaults(['keycloak_not_configured'], () =>
      conforms(422, 'POST', '/api/v1/auth/personal/signup', { body: { email: `conform-422-${run}@example.test`, password: PASSWORD, display_name: 'No Keycloak' } }));
  });

  it('session: 200 for a user and for the system admin, 400, 401, 403', async () => {
    const s = await conforms(200, 'GET', '/api/v1/session', { token: user });
    expect(s.body).toMatchObject({ role: 'tenant_admin', tenant_id: signup.tenant_id, project_id: signup.project_id });
    await conforms(200, 'GET', '/api/v1/session', { token: admin });
    await conforms(400, 'GET', '/api/v1/session', { token: user, headers: { 'X-Tenant-ID': 'not-a-uuid' } });
    await conforms(401, 'GET', '/api/v1/session');
    await conforms(401, 'GET', '/api/v1/session', { token: 'not.a.jwt' });
    await conforms(403, 'GET', '/api/v1/session', { token: user, headers: { 'X-Tenant-ID': UNKNOWN } });
  });

  let project: any;
  it('projects: list and create, 200, 201, 400, 401, 403', async () => {
    await conforms(200, 'GET', '/api/v1/projects', { token: user });
    await conforms(401, 'GET', '/api/v1/projects');
    project = (await conforms(201, 'POST', '/api/v1/projects', { token: user, body: { name: 'conformance' } })).body;
    await conforms(400, 'POST', '/api/v1/projects', { token: user, body: { name: '' } });
    await conforms(403, 'POST', '/api/v1/projects', { token: admin, body: { name: 'no tenant' } });
  });

  it('instances with X-Project-ID: 200, 201, 204, 400, 403, 404', async () => {
    const headers = { 'X-Project-ID': signup.project_id };
    await conforms(200, 'GET', '/api/v1/instances', { token: user, headers });
    const inst = (await conforms(201, 'POST', '/api/v1/instances', { token: user, headers, body: { name: 'gpu-1', gpu_type: 'a100' } })).body;
    await conforms(200, 'GET', '/api/v1/instances', { token: user, headers });
    await conforms(400, 'POST', '/api/v1/instances', { token: user, headers, body: { name: 'Not A Label', gpu_type: 'a100' } });
    const missing = await conforms(400, 'GET', '/api/v1/instances', { token: user });
    expect(missing.body.message).toMatch(/project context is required/i);
    await conforms(400, 'GET', '/api/v1/instances', { token: user, headers: { 'X-Project-ID': 'nope' } });
    await conforms(403, 'GET', '/api/v1/instances', { token: user, headers: { 'X-Project-ID': UNKNOWN } });
    await conforms(401, 'GET', '/api/v1/instances', { headers });
    await conforms(204, 'DELETE', `/api/v1/instances/${inst.id}`, { token: user, headers });
    await conforms(404, 'DELETE', `/api/v1/instances/${inst.id}`, { token: user, headers });
    await conforms(400, 'DELETE', `/api/v1/instances/${inst.id}`, { token: user });
  });

  let tenant: any;
  it('tenants: 201, 200, 204, 400, 403, 404, 409', async () => {
    const slug = `ct-${run}`;
    tenant = (await conforms(201, 'POST', '/api/v1/admin/tenants', { token: admin, body: { name: `Conformance ${run}`, slug } })).body;
    await conforms(400, 'POST', '/api/v1/admin/tenants', { token: admin, body: { name: 'x', slug: 'Not A Slug' } });
    await conforms(409, 'POST', '/api/v1/admin/tenants', { token: admin, body: { name: 'Twin', slug } });
    await conforms(403, 'POST', '/api/v1/admin/tenants', { token: user, body: { name: 'x', slug: `nope-${run}` } });
    const list = await conforms(200, 'GET', '/api/v1/admin/tenants', { token: admin });
    expect(list.body.tenants.map((t: any) => t.id)).toContain(tenant.id);
    await conforms(403, 'GET', '/api/v1/admin/tenants', { token: user });
    await conforms(200, 'GET', `/api/v1/admin/tenants/${tenant.id}`, { token: admin });
    await conforms(404, 'GET', `/api/v1/admin/tenants/${UNKNOWN}`, { token: admin });
  });

  const tenantUser = `conform-${run}-admin`;
  let createCorrelation: string | null = null;
  it('tenant users: 201 with verification, 200 verify, 400, 404, 409, 422', async () => {
    const body = { user_id: tenantUser, display_name: 'Conformance Admin', role: 'tenant_admin', email: `${tenantUser}@example.test`, initial_password: TEMP_PASSWORD };
    const path = `/api/v1/admin/tenants/${tenant.id}/users`;
    const created = await conforms(201, 'POST', path, { token: admin, body });
    expect(created.body.verification).toMatchObject({ ok: true, checks: expect.arrayContaining([expect.objectContaining({ name: 'attributes.tenant_id', ok: true })]) });
    expect(contracts.validateRequest({ method: 'POST', path, body }).violations).toEqual([]);
    createCorrelation = created.correlationId;
    await conforms(400, 'POST', path, { token: admin, body: { user_id: 'x' } });
    await conforms(400, 'POST', path, { token: admin, body: { ...body, user_id: `${tenantUser}-2`, email: `2-${body.email}`, initial_password: 'short' } });
    await conforms(400, 'POST', path, { token: admin, body: { ...body, skip_keycloak: true } });
    await conforms(409, 'POST', path, { token: admin, body });
    await conforms(404, 'POST', `/api/v1/admin/tenants/${UNKNOWN}/users`, { token: admin, body });
    await conforms(403, 'POST', path, { token: user, body });
    await conforms(401, 'POST', path, { body });
    await withFaults(['keycloak_not_configured'], () => conforms(422, 'POST', path, { token: admin, body: { ...body, user_id: `${tenantUser}-nokc`, email: `nokc-${body.email}` } }));
    await withFaults(['keycloak_admin_credentials_missing'], () => conforms(422, 'POST', path, { token: admin, body: { ...body, user_id: `${tenantUser}-nocred`, email: `nocred-${body.email}` } }));
    const red = await withFaults(['keycloak_attribute_mismatch'], () =>
      conforms(422, 'POST', path, { token: admin, body: { ...body, user_id: `${tenantUser}-red`, email: `red-${body.email}` } }));
    expect(red.body.code).toBe('keycloak_verification_failed');

    const verify = await conforms(200, 'POST', `${path}/${tenantUser}/verify`, { token: admin });
    expect(verify.body.in_sync).toBe(true);
    await conforms(404, 'POST', `${path}/nobody-${run}/verify`, { token: admin });
    await conforms(403, 'POST', `${path}/${tenantUser}/verify`, { token: user });
    await withFaults(['keycloak_not_configured'], () => conforms(422, 'POST', `${path}/${tenantUser}/verify`, { token: admin }));

    await driftKeycloakUser(created.body.user.idp_subject, 'platform_role', 'auditor');
    const drifted = await conforms(200, 'POST', `${path}/${tenantUser}/verify`, { token: admin });
    expect(drifted.body.checks.filter((c: any) => !c.ok)).toEqual([expect.objectContaining({ name: 'attributes.platform_role', actual: 'auditor' })]);
  });

  it('drift events recorded by the reconciliation worker', async () => {
    let events: any[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const r = await conforms(200, 'GET', '/api/v1/admin/events?type=platform.tenant_user.drift_detected', { token: admin });
      events = r.body.events.filter((e: any) => e.payload.user_id === tenantUser);
      if (events.length) break;
    }
    expect(events).toHaveLength(1);
  });

  let member: string;
  it('project members: 201, 204, 400, 404, 409', async () => {
    // A second member of the signup's personal tenant, so that the owner has someone to add.
    member = `conform-${run}-operator`;
    await conforms(201, 'POST', `/api/v1/admin/tenants/${signup.tenant_id}/users`, {
      token: admin,
      body: { user_id: member, display_name: 'Conformance Operator', role: 'operator', email: `${member}@example.test`, initial_password: TEMP_PASSWORD },
    });
    const path = `/api/v1/projects/${project.id}/members`;
    await conforms(201, 'POST', path, { token: user, body: { user_id: member, role: 'member' } });
    await conforms(409, 'POST', path, { token: user, body: { user_id: member, role: 'member' } });
    await conforms(400, 'POST', path, { token: user, body: { user_id: tenantUser, role: 'boss' } });
    await conforms(404, 'POST', `/api/v1/projects/not-a-uuid/members`, { token: user, body: { user_id: member, role: 'member' } });
    await conforms(403, 'POST', `/api/v1/projects/${UNKNOWN}/members`, { token: user, body: { user_id: member, role: 'member' } });
    await conforms(204, 'DELETE', `${path}/${member}`, { token: user });
    await conforms(404, 'DELETE', `${path}/${member}`, { token: user });
    await conforms(409, 'DELETE', `${path}/${signup.user.id}`, { token: user });
    await conforms(401, 'DELETE', `${path}/${member}`);
  });

  it('enrollment tokens: 201 with the secret once, 200 metadata only, 400, 403', async () => {
    const created = await conforms(201, 'POST', '/api/v1/agent-enrollment/tokens', { token: user, body: { name: 'conformance agents' } });
    expect(created.body.secret).toEqual(expect.any(String));
    const list = await conforms(200, 'GET', '/api/v1/agent-enrollment/tokens', { token: user });
    expect(list.body.tokens.map((t: any) => t.id)).toContain(created.body.id);
    await conforms(400, 'POST', '/api/v1/agent-enrollment/tokens', { token: user, body: { name: '' } });
    await conforms(400, 'GET', '/api/v1/agent-enrollment/tokens', { token: user, headers: { 'X-Tenant-ID': 'nope' } });
    await conforms(403, 'POST', '/api/v1/agent-enrollment/tokens', { token: admin, body: { name: 'no tenant' } });
    await conforms(403, 'GET', '/api/v1/agent-enrollment/tokens', { token: admin });
    await conforms(401, 'GET', '/api/v1/agent-enrollment/tokens');
  });

  it('SCIM connections: 201, 200, 204, 400, 401, 403, 404', async () => {
    const created = await conforms(201, 'POST', '/api/v1/scim/connections', { token: user, body: { name: 'conformance directory', provider: 'okta' } });
    const list = await conforms(200, 'GET', '/api/v1/scim/connections', { token: user });
    expect(list.body.connections.map((c: any) => c.id)).toContain(created.body.id);
    await conforms(400, 'POST', '/api/v1/scim/connections', { token: user, body: { name: '', provider: 'ldap' } });
    await conforms(400, 'GET', '/api/v1/scim/connections', { token: user, headers: { 'X-Tenant-ID': 'nope' } });
    await conforms(403, 'POST', '/api/v1/scim/connections', { token: admin, body: { name: 'no tenant' } });
    await conforms(403, 'GET', '/api/v1/scim/connections', { token: admin });
    await conforms(401, 'GET', '/api/v1/scim/connections');
    await conforms(403, 'DELETE', `/api/v1/scim/connections/${created.body.id}`, { token: admin });
    await conforms(401, 'DELETE', `/api/v1/scim/connections/${created.body.id}`);
    await conforms(400, 'DELETE', `/api/v1/scim/connections/${created.body.id}`, { token: user, headers: { 'X-Tenant-ID': 'nope' } });
    await conforms(204, 'DELETE', `/api/v1/scim/connections/${created.body.id}`, { token: user });
    await conforms(404, 'DELETE', `/api/v1/scim/connections/${created.body.id}`, { token: user });
  });

  it('audit and events: 200, 400, 403', async () => {
    const audit = await conforms(200, 'GET', `/api/v1/admin/audit?correlation_id=${createCorrelation}`, { token: admin });
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: 'user.create', correlation_id: createCorrelation })]);
    const all = await conforms(200, 'GET', '/api/v1/admin/audit', { token: admin });
    expect(all.body.entries.map((e: any) => e.action)).toEqual(expect.arrayContaining(['user.signup', 'tenant.create', 'user.create', 'user.verify', 'enrollment_token.create']));
    await conforms(400, 'GET', '/api/v1/admin/audit?limit=0', { token: admin });
    await conforms(403, 'GET', '/api/v1/admin/audit', { token: user });
    await conforms(200, 'GET', '/api/v1/admin/events', { token: admin });
    await conforms(400, 'GET', '/api/v1/admin/events?limit=many', { token: admin });
    await conforms(403, 'GET', '/api/v1/admin/events', { token: user });
  });

  it('cleanup: tenant user, tenant and self-signup removal, 204, 404, 409, 422', async () => {
    await conforms(204, 'DELETE', `/api/v1/admin/tenants/${tenant.id}/users/${tenantUser}`, { token: admin });
    await conforms(404, 'DELETE', `/api/v1/admin/tenants/${tenant.id}/users/${tenantUser}`, { token: admin });
    await conforms(403, 'DELETE', `/api/v1/admin/tenants/${tenant.id}/users/${tenantUser}`, { token: user });
    await conforms(204, 'DELETE', `/api/v1/admin/tenants/${tenant.id}`, { token: admin });
    await conforms(404, 'DELETE', `/api/v1/admin/tenants/${tenant.id}`, { token: admin });
    await conforms(409, 'DELETE', '/api/v1/admin/users/sysadmin', { token: admin });
    await withFaults(['keycloak_not_configured'], () => conforms(422, 'DELETE', `/api/v1/admin/users/${signup.user.id}`, { token: admin }));
    await conforms(204, 'DELETE', `/api/v1/admin/users/${member}`, { token: admin });
    await conforms(204, 'DELETE', `/api/v1/admin/users/${signup.user.id}`, { token: admin });
    await conforms(404, 'DELETE', `/api/v1/admin/users/${signup.user.id}`, { token: admin });
  });

  it('exercised every operation in openapi.json', () => {
    const seen = Object.fromEntries([...exercised].map(([id, statuses]) => [id, [...statuses].sort()]));
    console.info(`exercised operations (status codes seen):\n${Object.entries(seen).map(([id, s]) => `  ${id}: ${s.join(', ')}`).join('\n')}`);
    expect(Object.keys(seen).sort()).toEqual(contracts.operations.map((o) => o.operationId).sort());
  });
});

describe('the contract catches the faults that break it', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await token('sysadmin', 'Sandbox-Admin-2026!');
  });

  const violated = (r: Call) => r.check.violations.map((v) => `${v.instancePath} ${v.expected}`);

  it('error_envelope_missing_correlation_id: an error without correlation_id', async () => {
    const r = await withFaults(['error_envelope_missing_correlation_id'], () => call('GET', '/api/v1/session'));
    expect(violated(r)).toEqual(['/correlation_id required property "correlation_id"']);
  });

  it('signup_skips_default_project and session_partial: no project, partial session', async () => {
    const email = `fault-${run}@example.test`;
    const s = await withFaults(['signup_skips_default_project'], () => call('POST', '/api/v1/auth/personal/signup', { body: { email, password: PASSWORD, display_name: 'Fault User' } }));
    expect(s.status).toBe(201);
    expect(violated(s)).toEqual(['/project_id type string']);
    const session = await withFaults(['session_partial'], async () => call('GET', '/api/v1/session', { token: await token(email, PASSWORD) }));
    expect(violated(session)).toEqual(['/tenant_id required property "tenant_id"', '/project_id required property "project_id"']);
    expect((await call('DELETE', `/api/v1/admin/users/${s.body.user.id}`, { token: admin })).status).toBe(204);
  });

  it('create_without_keycloak_allowed and audit_missing_correlation: no Keycloak subject, no evidence, no correlation id', async () => {
    const slug = `ft-${run}`;
    const tenant = (await call('POST', '/api/v1/admin/tenants', { token: admin, body: { name: `Fault ${run}`, slug } })).body;
    const userId = `${slug}-admin`;
    const created = await withFaults(['create_without_keycloak_allowed', 'audit_missing_correlation'], () =>
      call('POST', `/api/v1/admin/tenants/${tenant.id}/users`, {
        token: admin,
        body: { user_id: userId, display_name: 'Fault Admin', role: 'tenant_admin', email: `${userId}@example.test`, initial_password: TEMP_PASSWORD, skip_keycloak: true },
      }));
    expect(created.status).toBe(201);
    expect(violated(created)).toEqual(['/user/idp_subject type string', '/verification/checks at least 1 item']);
    const audit = await call('GET', `/api/v1/admin/audit?action=user.create&target_id=${userId}`, { token: admin });
    expect(violated(audit)).toEqual(expect.arrayContaining(['/entries/0/correlation_id type string']));
    expect((await call('DELETE', `/api/v1/admin/tenants/${tenant.id}`, { token: admin })).status).toBe(204);
  });
});
