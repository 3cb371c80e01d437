// Who may call what: every role against every endpoint of signup/session/projects/instances/admin
// removal, with the status and error code each must get. Mutating calls get a fresh target per
// cell, so one cell's success cannot change the next cell's answer.
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();

type Role = 'system_admin' | 'tenant_admin' | 'operator' | 'member' | 'non_member' | 'no_token';
const ROLES: Role[] = ['system_admin', 'tenant_admin', 'operator', 'member', 'non_member', 'no_token'];
const tokens = {} as Record<Role, string | undefined>;
/** The tenant admin's personal tenant and default project, which the matrix is about. */
let tenantId: string;
let projectId: string;

const signup = (tag: string) => env.signup(tag, { login: false });

/** A platform user in the matrix tenant with a tenant role, optionally a project member too. */
const tenantUser = (role: string, inProject: boolean) => env.addTenantMember(tenantId, role, { projectId: inProject ? projectId : undefined, login: false });

beforeAll(async () => {
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
