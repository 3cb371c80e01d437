// Project-scoped requests (runbook): missing or malformed X-Project-ID is the same 400
// invalid_request on every try (checked by repeating, not assumed); with the header, access
// follows active project membership only: a non-member and a removed member are denied.
import { defineJourney, http, login, checkErrorEnvelope, type HttpResponse, type StepFailureCode } from 'onramp';
import { ANY_STATUS, bootstrapTenantUser, createSyntheticTenant, removeSyntheticUsers, removeTenant, setPermanentPasswords, systemAdminLogin } from 'onramp/steps';

/** Tries per determinism check: more than one cycle of a broken platform that rotates its answers. */
const TRIES = 6;

const answer = (res: HttpResponse) => (res.status < 300 ? String(res.status) : `${res.status} ${res.body?.code}`);

/** Bootstraps a tenant user as the system admin (the member must share the owner's tenant). */
const bootstrap = (label: string, role: string) => bootstrapTenantUser(`bootstrap ${label} (${role})`, { label, role });

/** GET /api/v1/instances in a project as one user, sorted into the runbook's symptoms. */
const instancesAs = (name: string, who: 'ownerToken' | 'memberToken', expected: '200' | '403 membership_denied', grantedCode: StepFailureCode = 'unexpected_status') =>
  http(name, {
    request: (ctx) => ({ method: 'GET', path: '/api/v1/instances', token: ctx.vars[who], headers: { 'X-Project-ID': ctx.vars.projectId } }),
    expect: { status: ANY_STATUS },
    then: (res, ctx) => {
      const got = answer(res);
      if (res.status >= 400) checkErrorEnvelope(res, ctx);
      // The header was sent, so "project context required" means it got lost on the way.
      if (got === '400 invalid_request') ctx.fail('project_context_required_despite_header', `status (${got}) == ${expected} although X-Project-ID was sent`, { expected, actual: got });
      // Denied where access is due is the runbook's membership symptom; access where denial is due names the hole.
      const code = expected === '200' ? (res.status === 403 ? 'membership_missing' : 'unexpected_status') : got === '200' ? grantedCode : 'unexpected_status';
      ctx.check('status', got, expected, { code });
    },
  });

/** Sends the same project-less request TRIES times; every answer must be the same 400 invalid_request. */
const deterministic400 = (name: string, key: string, header: string | undefined) =>
  http(name, {
    repeat: TRIES,
    request: (ctx) => ({ method: 'GET', path: '/api/v1/instances', token: ctx.vars.ownerToken, headers: { 'X-Project-ID': header } }),
    expect: { status: ANY_STATUS },
    then: (res, ctx) => {
      const seen: string[] = (ctx.vars[key] ??= []);
      seen.push(answer(res));
      if (res.status >= 400) checkErrorEnvelope(res, ctx);
      if (seen.length < TRIES) return;
      ctx.check(`answers to ${TRIES} identical tries`, [...new Set(seen)], [seen[0]], { code: 'project_error_nondeterministic' });
      ctx.check('answer', seen[0], '400 invalid_request', { code: 'project_context_error_wrong_code' });
    },
  });

export default defineJourney({
  id: 'project-scope',
  title: 'Project context and active memberships decide project-scoped access',
  tags: ['api', 'authz'],
  timeoutMs: 45_000,
  steps: [
    systemAdminLogin(),
    createSyntheticTenant(),
    bootstrap('owner', 'tenant_admin'),
    bootstrap('member', 'operator'),
    setPermanentPasswords('set permanent passwords, as the first logins would', ['owner', 'member']),
    login('owner logs in', { user: (ctx) => ({ username: ctx.identity('owner').username, password: ctx.identity('owner').password }), saveAs: 'ownerToken' }),
    login('member logs in', { user: (ctx) => ({ username: ctx.identity('member').username, password: ctx.identity('member').password }), saveAs: 'memberToken' }),
    http('owner creates a project', {
      request: (ctx) => ({ method: 'POST', path: '/api/v1/projects', token: ctx.vars.ownerToken, body: { name: `onramp synthetic ${ctx.runId}` } }),
      expect: { status: 201, failureCode: 'project_create_failed' },
      then: (res, ctx) => {
        ctx.vars.projectId = res.body.id;
        ctx.check('creator role', res.body.role, 'owner', { code: 'membership_missing' });
      },
    }),
    deterministic400('missing X-Project-ID: the same 400 invalid_request every time', 'missingAnswers', undefined),
    deterministic400('malformed X-Project-ID: the same 400 invalid_request every time', 'malformedAnswers', 'not-a-project-id'),
    instancesAs('owner reaches the project with X-Project-ID', 'ownerToken', '200'),
    instancesAs('non-member is denied', 'memberToken', '403 membership_denied', 'non_member_granted_access'),
    http('owner adds the member', {
      request: (ctx) => ({ method: 'POST', path: `/api/v1/projects/${ctx.vars.projectId}/members`, token: ctx.vars.ownerToken, body: { user_id: ctx.identity('member').username, role: 'member' } }),
      expect: { status: 201, failureCode: 'member_add_failed' },
    }),
    instancesAs('member reaches the project', 'memberToken', '200'),
    http('owner removes the member', {
      request: (ctx) => ({ method: 'DELETE', path: `/api/v1/projects/${ctx.vars.projectId}/members/${encodeURIComponent(ctx.identity('member').username)}`, token: ctx.vars.ownerToken }),
      expect: { status: 204, failureCode: 'member_remove_failed' },
    }),
    instancesAs('removed member is denied', 'memberToken', '403 membership_denied', 'deleted_membership_grants_access'),
    removeSyntheticUsers('remove the synthetic users', ['owner', 'member']),
    removeTenant(),
  ],
});
