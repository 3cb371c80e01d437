// The pure parts of triage, table-driven: what --compare reports between two snapshots, the
// runbook checklist's verdicts over evidence, and the state checks behind the exit code.
import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../src/triage/compare.ts';
import { checklistCode, runChecklist } from '../../src/triage/checklist.ts';
import { reproducesInState } from '../../src/triage/reproduces.ts';
import type { AuditRow, EnvelopeEvidence, MembershipRow, ScopeSnapshot, Section } from '../../src/triage/evidence.ts';

const T = '11111111-1111-4111-8111-111111111111';
const P = '22222222-2222-4222-8222-222222222222';
const tm = (over: Partial<MembershipRow> = {}): MembershipRow => ({ id: 'tm1', tenant_id: T, role: 'tenant_admin', active: true, deleted_at: null, created_at: '2026-01-01T00:00:00Z', ...over });
const pm = (over: Partial<MembershipRow> = {}): MembershipRow => ({ id: 'pm1', project_id: P, tenant_id: T, is_default: true, role: 'member', active: true, deleted_at: null, created_at: '2026-01-01T00:00:00Z', ...over });
const snap = (over: Partial<ScopeSnapshot> = {}): ScopeSnapshot => ({
  taken_at: '2026-01-01T00:00:00Z',
  user: { id: 'u1', org_id: 'o1', email: 'u@x.test', display_name: 'U', idp_subject: 'k1' },
  tenant_memberships: [tm()],
  project_memberships: [pm()],
  default_projects: [{ tenant_id: T, project_id: P, active_member: true }],
  posix_identity: { uid: 100000, gid: 100000, username: 'u' },
  ...over,
});
const audit = (action: string, correlationId = 'c2'): AuditRow => ({ id: '1', action, actor_id: 'owner', target_id: 'u1', tenant_id: T, correlation_id: correlationId, payload: {}, created_at: '2026-01-01T00:01:00Z' });

describe('compareSnapshots', () => {
  it.each([
    ['a restored membership', [pm({ active: false, deleted_at: '2026-01-01T00:00:30Z' })], [pm()], [{ table: 'project_memberships', id: 'pm1', what: 'restored' }]],
    ['a new active row', [], [pm({ id: 'pm2' })], [{ table: 'project_memberships', id: 'pm2', what: 'added (active)' }]],
    ['a soft-deletion', [pm()], [pm({ active: false, deleted_at: '2026-01-01T00:00:30Z' })], [{ table: 'project_memberships', id: 'pm1', what: 'soft-deleted' }]],
    ['a removed row', [pm()], [], [{ table: 'project_memberships', id: 'pm1', what: 'removed' }]],
    ['nothing', [pm()], [pm()], []],
  ])('%s', (_, before, after, changes) => {
    const c = compareSnapshots('b', snap({ project_memberships: before }), snap({ project_memberships: after, taken_at: '2026-01-01T00:02:00Z' }), [audit('project.member.add'), audit('user.verify')]);
    expect(c.changes.map(({ table, id, what }) => ({ table, id, what }))).toEqual(changes);
    expect(c.privileged_mutations.map((m) => m.action)).toEqual(['project.member.add']);
  });
});

const fromStep = (status: number, code: string, headers?: Record<string, string>, body: Record<string, unknown> = { code, correlation_id: 'c1' }): Section<EnvelopeEvidence> => ({
  available: true, from: 'step', code, body,
  request: { method: 'GET', url: 'http://api/api/v1/instances', status, ...(headers ? { headers } : {}), project_id_sent: headers ? 'x-project-id' in headers : null, ...(headers?.['x-project-id'] ? { project_id: headers['x-project-id'] } : {}) },
});
const logLine = (method: string, path: string, status: number, code?: string) => ({ service: 'gpuaas-api', correlation_id: 'c1', method, path, status, ...(code ? { code } : {}) });

describe('runChecklist names the symptom from the evidence', () => {
  it.each([
    ['400 with X-Project-ID sent', { envelope: fromStep(400, 'invalid_request', { 'x-project-id': P }), logLines: [] }, 'project_context_required_despite_header'],
    ['400 without X-Project-ID', { envelope: fromStep(400, 'invalid_request', {}), logLines: [] }, 'project_context_missing'],
    ['403 membership_denied', { envelope: fromStep(403, 'membership_denied', {}), logLines: [] }, 'membership_missing'],
    ['403 ownership_denied', { envelope: fromStep(403, 'ownership_denied', {}), logLines: [] }, 'membership_missing'],
    ['an error envelope without correlation_id', { envelope: fromStep(400, 'invalid_request', { 'x-project-id': P }, { code: 'invalid_request' }), logLines: [] }, 'error_envelope_missing_correlation_id'],
    ['signup without the default project', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', '/api/v1/auth/personal/signup', 201)], scope: snap({ project_memberships: [], default_projects: [{ tenant_id: T, project_id: null, active_member: false }] }) }, 'signup_missing_default_project'],
    ['signup without posix identity', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', '/api/v1/auth/personal/signup', 201)], scope: snap({ posix_identity: null }) }, 'posix_identity_missing'],
    ['admin-created user without default-project membership', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', `/api/v1/admin/tenants/${T}/users`, 201)], scope: snap({ project_memberships: [], default_projects: [{ tenant_id: T, project_id: P, active_member: false }] }), audit: [audit('user.create', 'c1')] }, 'membership_missing'],
    ['admin-created user without its audit row', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', `/api/v1/admin/tenants/${T}/users`, 201)], scope: snap(), audit: [] }, 'audit_missing_correlation'],
    ['admin-created user whose user.create row is under another correlation id', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', `/api/v1/admin/tenants/${T}/users`, 201)], scope: snap(), audit: [audit('user.create', 'c2')] }, 'audit_missing_correlation'],
    ['a healthy admin-created user', { envelope: { available: false as const, reason: 'x' }, logLines: [logLine('POST', `/api/v1/admin/tenants/${T}/users`, 201)], scope: snap(), audit: [audit('user.create', 'c1')] }, undefined],
  ])('%s', (_, evidence, code) => {
    expect(checklistCode(runChecklist({ correlationId: 'c1', ...evidence }))).toBe(code);
  });

  it("a user.create row under another correlation id is named with both ids", () => {
    const items = runChecklist({ correlationId: 'c1', envelope: { available: false, reason: 'x' }, logLines: [logLine('POST', `/api/v1/admin/tenants/${T}/users`, 201)], scope: snap(), audit: [audit('user.create', 'c2')] });
    expect(items.find((i) => i.code === 'audit_missing_correlation')?.detail).toBe('no user.create row with correlation_id c1 (rows under correlation_id c2)');
  });
});

describe('reproducesInState', () => {
  it.each([
    ['membership_missing', snap({ default_projects: [{ tenant_id: T, project_id: P, active_member: false }] }), true],
    ['membership_missing', snap(), false],
    // The platform's membership_denied: a removed membership, not restored.
    ['membership_missing', snap({ project_memberships: [pm(), pm({ id: 'pm9', project_id: 'p9', is_default: false, active: false, deleted_at: 'x' })] }), true],
    ['membership_missing', snap({ project_memberships: [pm(), pm({ id: 'pm9', project_id: 'p9', active: false, deleted_at: 'x' }), pm({ id: 'pm10', project_id: 'p9' })] }), false],
    ['posix_identity_missing', snap({ posix_identity: null }), true],
    ['keycloak_config_missing', snap(), null],
  ] as const)('%s -> %s', (code, scope, expected) => {
    expect(reproducesInState(code, scope)).toBe(expected);
  });
});
