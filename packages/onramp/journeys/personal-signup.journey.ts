// Self-signup (runbook, "Signup path"): one request must leave a user who can work at once: org,
// personal tenant, default project with an owner membership, posix identity, and a session that
// names all of it. Each check names the runbook symptom it would show.
import { db, defineJourney, http, login, checkSessionUser, failOnIdpError } from 'onramp';
import { ANY_STATUS, cleanupAdminLogin, removeSignedUpUser, userSignedUp } from 'onramp/steps';

const uuid = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export default defineJourney({
  id: 'personal-signup',
  title: 'Personal signup bootstraps a user who can work at once',
  tags: ['api', 'signup'],
  timeoutMs: 30_000,
  steps: [
    http('sign up', {
      request: (ctx) => {
        const me = ctx.identity('user');
        return { method: 'POST', path: '/api/v1/auth/personal/signup', body: { email: me.email, password: me.password, display_name: me.displayName } };
      },
      expect: { status: [201, 422], failureCode: 'signup_failed' },
      then: (res, ctx) => {
        failOnIdpError(res, ctx);
        ctx.vars.userId = res.body?.user?.id;
        ctx.vars.orgId = res.body?.org_id;
        ctx.vars.tenantId = res.body?.tenant_id;
        ctx.vars.projectId = res.body?.project_id;
        ctx.vars.signupCorrelationId = res.correlationId;
        ctx.assert('user id', typeof ctx.vars.userId === 'string' && ctx.vars.userId !== '', { actual: ctx.vars.userId, expected: 'a user id', code: 'bootstrap_incomplete' });
        ctx.assert('org_id', uuid(ctx.vars.orgId), { actual: ctx.vars.orgId, expected: 'a uuid', code: 'bootstrap_incomplete' });
        ctx.assert('tenant_id', uuid(ctx.vars.tenantId), { actual: ctx.vars.tenantId, expected: 'a uuid', code: 'bootstrap_incomplete' });
        ctx.assert('default project_id', uuid(ctx.vars.projectId), { actual: ctx.vars.projectId, expected: 'a uuid', code: 'signup_missing_default_project' });
      },
    }),
    login('user logs in', { user: (ctx) => ({ username: ctx.identity('user').email, password: ctx.identity('user').password }), saveAs: 'token' }),
    http('session is complete', {
      id: 'session-complete',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/session', token: ctx.vars.token }),
      expect: { status: 200, failureCode: 'session_unavailable' },
      then: (res, ctx) => {
        checkSessionUser(res, ctx, { userId: ctx.vars.userId, email: ctx.identity('user').email, token: ctx.vars.token });
        ctx.check('session tenant_id', res.body?.tenant_id, ctx.vars.tenantId, { code: 'session_partial' });
        ctx.check('session project_id', res.body?.project_id, ctx.vars.projectId, { code: 'session_partial' });
        ctx.check('session org_id', res.body?.org_id, ctx.vars.orgId, { code: 'session_partial' });
        ctx.check('session role', res.body?.role, 'tenant_admin', { code: 'session_role_fallback' });
      },
    }),
    http('default project listed', {
      id: 'default-project-listed',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/projects', token: ctx.vars.token }),
      expect: { status: 200, failureCode: 'projects_unavailable' },
      then: (res, ctx) => {
        const p = (res.body?.projects ?? []).find((x: { id: string }) => x.id === ctx.vars.projectId);
        ctx.assert('default project in GET /projects', p !== undefined, { actual: (res.body?.projects ?? []).map((x: { id: string }) => x.id), expected: `contains ${ctx.vars.projectId}`, code: 'signup_missing_default_project' });
        ctx.check('is_default', p.is_default, true, { code: 'signup_missing_default_project' });
        ctx.check('project role', p.role, 'owner', { code: 'membership_missing' });
      },
    }),
    http('project-scoped call with the default project', {
      id: 'project-scoped-call',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/instances', token: ctx.vars.token, headers: { 'X-Project-ID': ctx.vars.projectId } }),
      expect: { status: ANY_STATUS },
      then: (res, ctx) => {
        const answer = res.status === 200 ? '200' : `${res.status} ${res.body?.code}`;
        // The header was sent, so "project context required" means it got lost on the way.
        if (res.status === 400 && res.body?.code === 'invalid_request') ctx.fail('project_context_required_despite_header', `status (${answer}) == 200 although X-Project-ID was sent`, { expected: '200', actual: answer });
        if (res.status === 403) ctx.fail('bootstrap_incomplete', `status (${answer}) == 200: a new user is denied their own default project`, { expected: '200', actual: answer });
        ctx.check('status', answer, '200', { code: 'unexpected_status' });
      },
    }),
    db('bootstrap rows exist', {
      id: 'bootstrap-rows',
      run: async (q, ctx) => {
        // The rows are the signup's doing: its correlation id is where triage starts.
        ctx.recorder.correlationId = ctx.vars.signupCorrelationId;
        const [user] = await q<{ org_id: string | null }>('SELECT org_id FROM platform.users WHERE id = $1', [ctx.vars.userId]);
        ctx.check('users.org_id', user?.org_id, ctx.vars.orgId, { code: 'bootstrap_incomplete' });
        const tenantRoles = await q<{ role: string }>('SELECT role FROM platform.tenant_memberships WHERE user_id = $1 AND tenant_id = $2 AND deleted_at IS NULL', [ctx.vars.userId, ctx.vars.tenantId]);
        ctx.check('active tenant memberships', tenantRoles.map((r) => r.role), ['tenant_admin'], { code: 'membership_missing' });
        const projects = await q<{ id: string }>('SELECT id FROM platform.projects WHERE tenant_id = $1 AND is_default AND deleted_at IS NULL', [ctx.vars.tenantId]);
        ctx.check('default project rows', projects.map((r) => r.id), [ctx.vars.projectId], { code: 'signup_missing_default_project' });
        const projectRoles = await q<{ role: string }>('SELECT role FROM platform.project_memberships WHERE user_id = $1 AND project_id = $2 AND deleted_at IS NULL', [ctx.vars.userId, ctx.vars.projectId]);
        ctx.check('active default-project memberships', projectRoles.map((r) => r.role), ['owner'], { code: 'membership_missing' });
        const posix = await q<{ uid: number; gid: number; username: string }>('SELECT uid, gid, username FROM platform.user_posix_identities WHERE user_id = $1', [ctx.vars.userId]);
        ctx.assert('user_posix_identities row', posix.length === 1 && posix[0]!.uid > 0 && !!posix[0]!.username, { actual: posix, expected: 'one row with uid, gid and username', code: 'posix_identity_missing' });
      },
    }),
    cleanupAdminLogin(userSignedUp),
    removeSignedUpUser('remove the user'),
  ],
});
