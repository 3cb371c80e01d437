// Project-scoped requests (runbook): missing or malformed X-Project-ID is the same 400
// invalid_request on every try (checked by repeating, not assumed); with the header, access
// follows active project membership only: a non-member and a removed member are denied.
import { cleanup, defineJourney, http, idp, login, type HttpResponse, type HttpStep } from '../src/engine/journey.ts';
import type { JourneyContext } from '../src/engine/context.ts';
import { syntheticName } from '../src/engine/identities.ts';

// Accept every status: `then` sorts the answers into named failures itself.
const ANY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);
/** Tries per determinism check: more than one cycle of a broken platform that rotates its answers. */
const TRIES = 6;

// The engine has no conditional steps; cleanup with nothing to remove asks for /healthz instead.
function onlyIf(cond: (ctx: JourneyContext) => boolean, step: HttpStep): HttpStep {
  return {
    ...step,
    request: (ctx) => (cond(ctx) ? step.request(ctx) : { method: 'GET', path: '/healthz' }),
    expect: (ctx) => (cond(ctx) ? (typeof step.expect === 'function' ? step.expect(ctx) : step.expect) ?? { status: 200 } : { status: 200, contract: false }),
    then: (res, ctx) => (cond(ctx) ? step.then?.(res, ctx) : undefined),
  };
}

/** Triage starts from the envelope's correlation id: it must be there and equal X-Correlation-ID. */
function checkEnvelope(res: HttpResponse, ctx: JourneyContext): void {
  const header = [res.headers['x-correlation-id']].flat()[0];
  const inBody = res.body?.correlation_id;
  ctx.assert('error envelope correlation_id equals X-Correlation-ID', typeof inBody === 'string' && inBody !== '' && inBody === header, { actual: inBody, expected: header ?? 'the X-Correlation-ID header', code: 'error_envelope_missing_correlation_id' });
}

/** A 422 from the Keycloak path fails with its own code, so `keycloak_unavailable` reads as such. */
function failOnIdpError(res: HttpResponse, ctx: JourneyContext): void {
  if (res.status !== 422) return;
  const code = String(res.body?.code ?? 'identity_provider_failure');
  ctx.fail(code === 'keycloak_verification_failed' ? 'verification_mismatch' : code, `422 ${code}: ${res.body?.detail ?? 'no detail'}`, { expected: 201, actual: `422 ${code}` });
}

const answer = (res: HttpResponse) => (res.status < 300 ? String(res.status) : `${res.status} ${res.body?.code}`);

/** Bootstraps a tenant user as the system admin (the member must share the owner's tenant). */
const bootstrap = (label: string, role: string) =>
  http(`bootstrap ${label} (${role})`, {
    request: (ctx) => {
      const u = ctx.identity(label);
      return { method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users`, token: ctx.vars.adminToken, body: { user_id: u.username, display_name: u.displayName, role, email: u.email, initial_password: u.password } };
    },
    expect: { status: [201, 422], failureCode: 'bootstrap_failed' },
    then: (res, ctx) => failOnIdpError(res, ctx),
  });

/** GET /api/v1/instances in a project as one user, sorted into the runbook's symptoms. */
const instancesAs = (name: string, who: 'ownerToken' | 'memberToken', expected: '200' | '403 membership_denied', grantedCode = 'unexpected_status') =>
  http(name, {
    request: (ctx) => ({ method: 'GET', path: '/api/v1/instances', token: ctx.vars[who], headers: { 'X-Project-ID': ctx.vars.projectId } }),
    expect: { status: ANY_STATUS, contract: expected === '200' ? undefined : false },
    then: (res, ctx) => {
      const got = answer(res);
      if (res.status >= 400) checkEnvelope(res, ctx);
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
    expect: { status: ANY_STATUS, contract: false },
    then: (res, ctx) => {
      const seen: string[] = (ctx.vars[key] ??= []);
      seen.push(answer(res));
      if (res.status >= 400) checkEnvelope(res, ctx);
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
    login('system admin logs in', { user: (ctx) => ({ username: ctx.target.systemAdmin.username, password: ctx.target.systemAdmin.password.reveal() }), saveAs: 'adminToken' }),
    http('create a tenant', {
      request: (ctx) => ({ method: 'POST', path: '/api/v1/admin/tenants', token: ctx.vars.adminToken, body: { name: `onramp synthetic ${ctx.runId}`, slug: syntheticName(ctx.runId, `${ctx.journeyId}-t`) } }),
      expect: { status: 201, failureCode: 'tenant_create_failed' },
      then: (res, ctx) => void (ctx.vars.tenantId = res.body.id),
    }),
    bootstrap('owner', 'tenant_admin'),
    bootstrap('member', 'operator'),
    idp('set permanent passwords, as the first logins would', {
      run: async (kc, ctx) => {
        for (const label of ['owner', 'member']) {
          const u = ctx.identity(label);
          const [found] = await kc.users.find({ username: u.username, exact: true });
          ctx.assert(`Keycloak user ${label}`, found !== undefined, { actual: 'missing', expected: u.username, code: 'created_without_keycloak' });
          await kc.users.resetPassword({ id: found!.id!, credential: { type: 'password', value: u.password, temporary: false } });
        }
      },
    }),
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
    cleanup(
      onlyIf(
        (ctx) => !!ctx.vars.tenantId,
        http('remove the synthetic users', {
          repeat: 2,
          request: (ctx) => {
            const label = ['owner', 'member'][(ctx.vars.removed = (ctx.vars.removed ?? -1) + 1)]!;
            return { method: 'DELETE', path: `/api/v1/admin/users/${encodeURIComponent(ctx.identity(label).username)}`, token: ctx.vars.adminToken };
          },
          expect: { status: [204, 404], failureCode: 'cleanup_failed', contract: false },
        }),
      ),
    ),
    cleanup(
      onlyIf(
        (ctx) => !!ctx.vars.tenantId,
        http('remove the tenant', {
          request: (ctx) => ({ method: 'DELETE', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}`, token: ctx.vars.adminToken }),
          expect: { status: [204, 404], failureCode: 'cleanup_failed', contract: false },
        }),
      ),
    ),
  ],
});
