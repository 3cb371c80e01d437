// OP-071's sign-in path as an operator lives it, in a real browser: the system admin signs in
// through the console and Keycloak's pages, a tenant admin is bootstrapped (through the API: the
// console's Settings forms are operator-bootstrap's), the system admin logs out (the SSO session
// must end with it), switches user to the new tenant admin, who replaces the temporary password (a
// weak one refused first), and finds the tenant-admin view of the empty tenant: the right role and
// tenant, the actions and guardrail wording.
import { browser, defineJourney, http } from 'onramp';
import { bootstrapTenantUser, cleanupAdminLogin, createSyntheticTenant, removeSyntheticUsers, removeTenant, systemAdminLogin, tenantCreated } from 'onramp/steps';
import { logoutEndsSsoSession, shellShowsTenantAdmin, switchUserNewPassword, systemAdminConsoleLogin, tenantAdminActionsVisible, tenantAdminLogin, text } from 'onramp/steps';

export default defineJourney({
  id: 'switch-user-login',
  title: 'Switch-user login: a new tenant admin signs in after the system admin, in a real browser',
  tags: ['browser', 'tenant-admin', 'keycloak'],
  timeoutMs: 90_000,
  notInProduction: true,
  steps: [
    systemAdminConsoleLogin(),
    systemAdminLogin(),
    createSyntheticTenant((res, ctx) => {
      ctx.vars.tenantName = res.body.name;
    }),
    bootstrapTenantUser('bootstrap the tenant admin', { label: 'admin', role: 'tenant_admin' }),
    logoutEndsSsoSession(),
    switchUserNewPassword('admin'),
    shellShowsTenantAdmin(),
    tenantAdminActionsVisible(),
    browser('the notice uses guardrail wording', {
      id: 'guardrail-wording',
      run: async (b, ctx) => {
        const notice = (await text(b.console('security_notice'))) ?? '';
        ctx.assert('notice wording', !/read-only/i.test(notice) && /guardrail/i.test(notice), { actual: notice, expected: 'guardrail wording, never "Read-only mode"', code: 'readonly_label' });
      },
    }),
    tenantAdminLogin('admin'),
    http('session says tenant_admin of the new tenant', {
      id: 'session-role',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/session', token: ctx.vars.userToken }),
      expect: { status: 200, failureCode: 'session_unavailable' },
      then: (res, ctx) => {
        ctx.check('session role', res.body?.role, 'tenant_admin', { code: 'session_role_fallback' });
        ctx.check('session tenant_id', res.body?.tenant_id, ctx.vars.tenantId, { code: 'session_partial' });
      },
    }),
    cleanupAdminLogin(tenantCreated),
    removeSyntheticUsers('remove the tenant admin', ['admin']),
    removeTenant(),
  ],
});
