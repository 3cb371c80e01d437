// Who may call what: every role against every endpoint of signup/session/projects/instances/admin
// removal, with the status and error code each must get. Mutating calls get a fresh target per
// cell, so one cell's success cannot change the next cell's answer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestPostgres } from '../support/postgres.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { createUserWithPassword } from '../support/users.ts';

const db = useTestPostgres();
let env: TestPlatform;
const PASSWORD = 'Correct-Horse-42';

type Role = 'system_admin' | 'tenant_admin' | 'operator' | 'member' | 'non_member' | 'no_token';
const ROLES: Role[] = ['system_admin', 'tenant_admin', 'operator', 'member', 'non_member', 'no_token'];
const tokens = {} as Record<Role, string | undefined>;
/** The tenant admin's personal tenant and default project, which the matrix is about. */
let tenantId: string;
let projectId: string;

async function signup(tag: string) {
  const email = `${tag}-${randomUUID().slice(0, 8)}@example.test`;
  const res = await env.api('POST', '/api/v1/auth/personal/signup', { body: { email, password: PASSWORD, display_name: tag } });
  expect(res.status).toBe(201);
  return { ...res.body, id: res.body.user.id as string, email };
}

/** A platform user in the matrix tenant with a tenant role, optionally a project member too. */
async function tenantUser(role: string, inProject: boolean) {
  const kc = await createUserWithPassword(env.idp, PASSWORD);
  const [{ org_id: orgId }] = (await env.pool.query('SELECT org_id FROM platform.tenants WHERE id = $1', [tenantId])).rows;
  await env.pool.query('INSERT INTO platform.users (id, org_id, email, display_name, idp_subject) VALUES ($1, $2, $3, $4, $5)', [kc.username, orgId, `${kc.username}@example.test`, kc.username, kc.id]);
  await env.pool.query('INSERT INTO platform.tenant_memberships (id, user_id, tenant_id, role) VALUES ($1, $2, $3, $4)', [randomUUID(), kc.username, tenantId, role]);
  if (inProject) await env.pool.query(`INSERT INTO platform.project_memberships (id, user_id, project_id, role) VALUES ($1, $2, $3, 'member')`, [randomUUID(), kc.username, projectId]);
  return kc;
}

beforeAll(async () => {
  env = await startTestPlatform(db);
  const admin = await signup('matrix-admin');
  tenantId = admin.tenant_id;
  projectId = admin.project_id;
  const operator = await tenantUser('operator', true);
  const member = await tenantUser('member', true);
  const outsider = await signup('matrix-outsider');
  tokens.system_admin = await env.sysadminToken();
  tokens.tenant_admin = await env.login(admin.email, PASSWORD);
  tokens.operator = await env.login(operator.username, PASSWORD);
  tokens.member = await env.login(member.username, PASSWORD);
  tokens.non_member = await env.login(outsider.email, PASSWORD);
  tokens.no_token = undefined;
}, 60_000);
afterAll(() => env?.close());

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}
type Expect = [status: number, code?: string];

const M: Expect = [403, 'membership_denied'];
const O: Expect = [403, 'ownership_denied'];
const R: Expect = [403, 'role_denied'];
const U: Expect = [401, 'unauthenticated'];
const inProject = () => ({ 'x-project-id': projectId });

const ENDPOINTS: { name: string; call: () => Promise<Call>; expect: Record<Role, Expect> }[] = [
  {
    name: 'GET /api/v1/session',
    call: async () => ({ method: 'GET', path: '/api/v1/session' }),
    expect: { system_admin: [200], tenant_admin: [200], operator: [200], member: [200], non_member: [200], no_token: U },
  },
  {
    name: 'GET /api/v1/projects',
    call: async () => ({ method: 'GET', path: '/api/v1/projects' }),
    expect: { system_admin: [200], tenant_admin: [200], operator: [200], member: [200], non_member: [200], no_token: U },
  },
  {
    name: 'POST /api/v1/projects in the tenant',
    call: async () => ({ method: 'POST', path: '/api/v1/projects', headers: { 'x-tenant-id': tenantId }, body: { name: 'matrix' } }),
    expect: { system_admin: M, tenant_admin: [201], operator: [201], member: R, non_member: M, no_token: U },
  },
  {
    name: 'POST /api/v1/projects/{id}/members',
    call: async () => ({ method: 'POST', path: `/api/v1/projects/${projectId}/members`, body: { user_id: (await tenantUser('member', false)).username, role: 'member' } }),
    expect: { system_admin: M, tenant_admin: [201], operator: O, member: O, non_member: M, no_token: U },
  },
  {
    name: 'DELETE /api/v1/projects/{id}/members/{user}',
    call: async () => ({ method: 'DELETE', path: `/api/v1/projects/${projectId}/members/${(await tenantUser('member', true)).username}` }),
    expect: { system_admin: M, tenant_admin: [204], operator: O, member: O, non_member: M, no_token: U },
  },
  {
    name: 'GET /api/v1/instances',
    call: async () => ({ method: 'GET', path: '/api/v1/instances', headers: inProject() }),
    expect: { system_admin: M, tenant_admin: [200], operator: [200], member: [200], non_member: M, no_token: U },
  },
  {
    name: 'POST /api/v1/instances',
    call: async () => ({ method: 'POST', path: '/api/v1/instances', headers: inProject(), body: { name: 'matrix-gpu', gpu_type: 'l4' } }),
    expect: { system_admin: M, tenant_admin: [201], operator: [201], member: [201], non_member: M, no_token: U },
  },
  {
    name: 'DELETE /api/v1/instances/{id}',
    call: async () => {
      const made = await env.api('POST', '/api/v1/instances', { token: tokens.tenant_admin, headers: inProject(), body: { name: 'doomed', gpu_type: 'l4' } });
      return { method: 'DELETE', path: `/api/v1/instances/${made.body.id}`, headers: inProject() };
    },
    expect: { system_admin: M, tenant_admin: [204], operator: O, member: O, non_member: M, no_token: U },
  },
  {
    name: 'DELETE /api/v1/admin/users/{id}',
    call: async () => ({ method: 'DELETE', path: `/api/v1/admin/users/${(await signup('doomed')).id}` }),
    expect: { system_admin: [204], tenant_admin: R, operator: R, member: R, non_member: R, no_token: U },
  },
];

const CELLS = ENDPOINTS.flatMap((e) => ROLES.map((role) => ({ endpoint: e.name, role, call: e.call, want: e.expect[role] })));

describe('authorization matrix', () => {
  it.each(CELLS)('$endpoint as $role -> $want', async ({ role, call, want }) => {
    const c = await call();
    const res = await env.api(c.method, c.path, { token: tokens[role], headers: c.headers, body: c.body });
    expect([res.status, res.body?.code]).toEqual([want[0], want[1]]);
  });
});
