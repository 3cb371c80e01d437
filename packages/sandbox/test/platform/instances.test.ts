// Project-scoped instances (runbook, "Project-scoped requests"): a missing or malformed X-Project-ID
// is the same 400 invalid_request every time; membership decides access; owners delete; and the
// two header faults produce exactly the symptoms the runbook names.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';
import { PROJECT_CONTEXT_REQUIRED } from '../../src/platform/http/errors.ts';

const env = useTestPlatform();
let owner: { id: string; token: string; project_id: string; tenant_id: string };
let member: { id: string; token: string };
let outsider: { token: string; project_id: string };
beforeAll(async () => {
  owner = await env.signup('owner');
  outsider = await env.signup('outsider');
  member = await env.addTenantMember(owner.tenant_id, 'member');
  const added = await env.api('POST', `/api/v1/projects/${owner.project_id}/members`, { token: owner.token, body: { user_id: member.id, role: 'member' } });
  expect(added.status).toBe(201);
}, 60_000);

const call = (method: string, path: string, token: string, projectHeader?: string, body?: unknown) =>
  env.api(method, path, { token, body, headers: projectHeader === undefined ? {} : { 'x-project-id': projectHeader } });

async function newInstance(projectId = owner.project_id, token = owner.token) {
  const res = await call('POST', '/api/v1/instances', token, projectId, { name: `gpu-${randomUUID().slice(0, 6)}`, gpu_type: 'h100' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const ENDPOINTS = [
  { method: 'GET', path: () => '/api/v1/instances' },
  { method: 'POST', path: () => '/api/v1/instances', body: { name: 'x', gpu_type: 'h100' } },
  { method: 'DELETE', path: () => `/api/v1/instances/${randomUUID()}` },
];

describe('X-Project-ID is required and checked the same way every time', () => {
  it.each(ENDPOINTS)('$method without the header: the same 400 invalid_request on 50 tries', async ({ method, path, body }) => {
    const answers = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await call(method, path(), owner.token, undefined, body);
      answers.add(JSON.stringify([res.status, res.body.code, res.body.message]));
    }
    expect([...answers]).toEqual([JSON.stringify([400, 'invalid_request', PROJECT_CONTEXT_REQUIRED])]);
  });

  it.each(['', '   ', 'not-a-uuid', '1234', `${randomUUID()}x`, `{${randomUUID()}}`, 'null'])('malformed header %j: the same 400 on 50 tries', async (header) => {
    const answers = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const res = await call('GET', '/api/v1/instances', owner.token, header);
      answers.add(JSON.stringify([res.status, res.body.code, res.body.message]));
    }
    expect([...answers]).toEqual([JSON.stringify([400, 'invalid_request', PROJECT_CONTEXT_REQUIRED])]);
  });

  it('answers 401 before looking at the header when there is no token', async () => {
    expect((await env.api('GET', '/api/v1/instances')).status).toBe(401);
  });
});

describe('membership and ownership', () => {
  it.each([
    { who: 'owner', project: () => owner.project_id, status: 200 },
    { who: 'member', project: () => owner.project_id, status: 200 },
    { who: 'outsider', project: () => owner.project_id, status: 403, code: 'membership_denied' },
    { who: 'owner', project: () => randomUUID(), status: 403, code: 'membership_denied' },
    { who: 'outsider', project: () => outsider.project_id, status: 200 },
  ])('GET by $who answers $status', async ({ who, project, status, code }) => {
    const token = { owner, member, outsider }[who as 'owner']!.token;
    const res = await call('GET', '/api/v1/instances', token, project());
    expect(res.status).toBe(status);
    if (code) expect(res.body.code).toBe(code);
  });

  it('lets a member create and list but not delete; the owner deletes', async () => {
    const id = await newInstance(owner.project_id, member.token);
    const listed = await call('GET', '/api/v1/instances', member.token, owner.project_id);
    expect(listed.body.instances.map((i: { id: string }) => i.id)).toContain(id);
    const byMember = await call('DELETE', `/api/v1/instances/${id}`, member.token, owner.project_id);
    expect([byMember.status, byMember.body.code]).toEqual([403, 'ownership_denied']);
    expect((await call('DELETE', `/api/v1/instances/${id}`, owner.token, owner.project_id)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/instances/${id}`, owner.token, owner.project_id)).status).toBe(404);
    const after = await call('GET', '/api/v1/instances', owner.token, owner.project_id);
    expect(after.body.instances.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it("does not delete another project's instance through one's own project header", async () => {
    const theirs = await newInstance(outsider.project_id, outsider.token);
    const res = await call('DELETE', `/api/v1/instances/${theirs}`, owner.token, owner.project_id);
    expect(res.status).toBe(404);
    expect((await call('GET', '/api/v1/instances', outsider.token, outsider.project_id)).body.instances.map((i: { id: string }) => i.id)).toContain(theirs);
  });

  it.each([
    { body: {}, fields: ['name', 'gpu_type'] },
    { body: { name: 'Bad Name', gpu_type: 'h100' }, fields: ['name'] },
    { body: { name: 'ok', gpu_type: '' }, fields: ['gpu_type'] },
  ])('POST body $body is 400 naming $fields', async ({ body, fields }) => {
    const res = await call('POST', '/api/v1/instances', owner.token, owner.project_id, body);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
  });
});

describe('header faults', () => {
  it('project_header_dropped: a sent header still gets the 400 while on, 200 when off', async () => {
    env.faults.set({ on: ['project_header_dropped'] });
    const dropped = await call('GET', '/api/v1/instances', owner.token, owner.project_id);
    env.faults.set({ off: ['project_header_dropped'] });
    expect([dropped.status, dropped.body.code, dropped.body.message]).toEqual([400, 'invalid_request', PROJECT_CONTEXT_REQUIRED]);
    expect((await call('GET', '/api/v1/instances', owner.token, owner.project_id)).status).toBe(200);
  });

  it('project_error_nondeterministic: a missing header answers varying status and code while on, one answer when off', async () => {
    const answers = async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await call('GET', '/api/v1/instances', owner.token);
        seen.add(`${res.status} ${res.body.code}`);
      }
      return [...seen].sort();
    };
    env.faults.set({ on: ['project_error_nondeterministic'] });
    const broken = await answers();
    env.faults.set({ off: ['project_error_nondeterministic'] });
    expect(broken).toEqual(['400 invalid_request', '403 membership_denied', '500 internal_error']);
    expect(await answers()).toEqual(['400 invalid_request']);
  });
});
