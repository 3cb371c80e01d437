// Projects and project members: creation by tenant admins and operators, owner-only membership
// changes, soft-deleted removal that denies from then on, and authz_counts_deleted_memberships.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestPlatform } from '../support/platform.ts';

const env = useTestPlatform();

const addMember = (token: string, projectId: string, body: unknown) => env.api('POST', `/api/v1/projects/${projectId}/members`, { token, body });
const removeMember = (token: string, projectId: string, userId: string) => env.api('DELETE', `/api/v1/projects/${projectId}/members/${userId}`, { token });
const listInstances = (token: string, projectId: string) => env.api('GET', '/api/v1/instances', { token, headers: { 'x-project-id': projectId } });

describe('projects', () => {
  it('lists the caller its active projects, and a created project makes its creator the owner', async () => {
    const owner = await env.signup('lister');
    expect((await env.api('GET', '/api/v1/projects', { token: owner.token })).body.projects).toEqual([
      expect.objectContaining({ id: owner.project_id, tenant_id: owner.tenant_id, name: 'Default project', is_default: true, role: 'owner' }),
    ]);
    const created = await env.api('POST', '/api/v1/projects', { token: owner.token, body: { name: '  Training runs ' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenant_id: owner.tenant_id, name: 'Training runs', is_default: false, role: 'owner' });
    const names = (await env.api('GET', '/api/v1/projects', { token: owner.token })).body.projects.map((p: { name: string }) => p.name);
    expect(names).toEqual(['Default project', 'Training runs']);
    expect((await listInstances(owner.token, created.body.id)).status).toBe(200);
  });

  it.each([
    { role: 'operator', status: 201 },
    { role: 'auditor', status: 403, code: 'role_denied' },
    { role: 'member', status: 403, code: 'role_denied' },
  ])('POST /projects by a tenant $role answers $status', async ({ role, status, code }) => {
    const owner = await env.signup('tenant');
    const user = await env.addTenantMember(owner.tenant_id, role);
    const res = await env.api('POST', '/api/v1/projects', { token: user.token, body: { name: 'By ' + role } });
    expect(res.status).toBe(status);
    if (code) expect(res.body.code).toBe(code);
  });

  it.each([{}, { name: '' }, { name: '   ' }, { name: 7 }, { name: 'x'.repeat(101) }])('rejects project body %j with 400 naming the name field', async (body) => {
    const owner = await env.signup('badname');
    const res = await env.api('POST', '/api/v1/projects', { token: owner.token, body });
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([expect.objectContaining({ field: 'name' })]);
  });
});

describe('project members', () => {
  it('owner adds a tenant member, who then works in the project; removal soft-deletes and denies from then on', async () => {
    const owner = await env.signup('owner');
    const member = await env.addTenantMember(owner.tenant_id, 'member');
    expect((await listInstances(member.token, owner.project_id)).body.code).toBe('membership_denied');

    const added = await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'member' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ project_id: owner.project_id, user_id: member.id, role: 'member' });
    expect((await listInstances(member.token, owner.project_id)).status).toBe(200);

    const removed = await removeMember(owner.token, owner.project_id, member.id);
    expect(removed.status).toBe(204);
    const { rows } = await env.pool.query('SELECT deleted_at FROM platform.project_memberships WHERE project_id = $1 AND user_id = $2', [owner.project_id, member.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
    const denied = await listInstances(member.token, owner.project_id);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('membership_denied');

    const audit = await env.pool.query(`SELECT action FROM platform.audit_log WHERE target_id = $1 ORDER BY id`, [member.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['project.member.add', 'project.member.remove']);
    // A removed member can be added back: only active rows are unique.
    expect((await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'member' })).status).toBe(201);
  });

  it.each([
    { name: 'missing fields', body: {}, fields: ['user_id', 'role'] },
    { name: 'unknown role', body: { user_id: 'someone', role: 'admin' }, fields: ['role'] },
    { name: 'user outside the tenant', body: { user_id: 'sysadmin', role: 'member' }, fields: ['user_id'] },
    { name: 'unknown user', body: { user_id: 'nobody-at-all', role: 'owner' }, fields: ['user_id'] },
  ])('rejects adding a member with $name (400 naming the fields)', async ({ body, fields }) => {
    const owner = await env.signup('addbad');
    const res = await addMember(owner.token, owner.project_id, body);
    expect(res.status).toBe(400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(fields);
  });

  it('answers 409 already_member, 404 for a non-member removal, 409 last_owner for the only owner', async () => {
    const owner = await env.signup('edges');
    const member = await env.addTenantMember(owner.tenant_id, 'operator');
    expect((await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'member' })).status).toBe(201);
    const twice = await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'owner' });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_member']);
    expect((await removeMember(owner.token, owner.project_id, 'nobody-at-all')).status).toBe(404);
    const last = await removeMember(owner.token, owner.project_id, owner.id);
    expect([last.status, last.body.code]).toEqual([409, 'last_owner']);
  });

  it('lets only owners change members: a member gets ownership_denied, an outsider membership_denied', async () => {
    const owner = await env.signup('guard');
    const member = await env.addTenantMember(owner.tenant_id, 'member');
    const outsider = await env.signup('outsider');
    await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'member' });
    const byMember = await addMember(member.token, owner.project_id, { user_id: member.id, role: 'owner' });
    expect([byMember.status, byMember.body.code]).toEqual([403, 'ownership_denied']);
    const byOutsider = await removeMember(outsider.token, owner.project_id, member.id);
    expect([byOutsider.status, byOutsider.body.code]).toEqual([403, 'membership_denied']);
    const unknownProject = await addMember(owner.token, randomUUID(), { user_id: member.id, role: 'member' });
    expect([unknownProject.status, unknownProject.body.code]).toEqual([403, 'membership_denied']);
  });

  it('authz_counts_deleted_memberships: a removed member keeps access while on, is denied when off', async () => {
    const owner = await env.signup('ghost');
    const member = await env.addTenantMember(owner.tenant_id, 'member');
    await addMember(owner.token, owner.project_id, { user_id: member.id, role: 'member' });
    expect((await removeMember(owner.token, owner.project_id, member.id)).status).toBe(204);

    env.faults.set({ on: ['authz_counts_deleted_memberships'] });
    const ghost = await listInstances(member.token, owner.project_id);
    env.faults.set({ off: ['authz_counts_deleted_memberships'] });
    expect(ghost.status).toBe(200);
    expect((await listInstances(member.token, owner.project_id)).status).toBe(403);
  });
});
