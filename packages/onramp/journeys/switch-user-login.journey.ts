// OP-071 as an operator lives it, in a real browser: the system admin signs in through the console
// and Keycloak's pages, bootstraps a tenant admin, logs out (the SSO session must end with it),
// switches user to the new tenant admin, who replaces the temporary password (a weak one refused
// first), and finds the tenant-admin view of the empty tenant: the right role and tenant, the
// actions, guardrail wording, and an enrollment token that survives a tab switch and a reload.
import { randomBytes } from 'node:crypto';
import { browser, defineJourney, http, login } from 'onramp';
import { bootstrapTenantUser, cleanupAdminLogin, createSyntheticTenant, removeSyntheticUsers, removeTenant, systemAdminLogin, tenantCreated } from 'onramp/steps';
import { firstVisible, keycloakLogin, keycloakNewPassword, openTab, text, tokenNames } from 'onramp/steps';

/** What Keycloak answers for a password under the realm's minimum length. */
const WEAK_PASSWORD = 'Sh0rt!pw';
const WEAK_PASSWORD_MESSAGE = 'Invalid password: minimum length 12.';

export default defineJourney({
  id: 'switch-user-login',
  title: 'Switch-user login: a new tenant admin signs in after the system admin, in a real browser',
  tags: ['browser', 'tenant-admin', 'keycloak', 'settings'],
  timeoutMs: 90_000,
  notInProduction: true,
  steps: [
    browser('system admin signs in through the console', {
      id: 'console-sign-in',
      run: async (b, ctx) => {
        await b.page.goto(b.consoleUrl);
        await b.console('sign_in').click();
        await keycloakLogin(b, ctx.target.systemAdmin.username, ctx.target.systemAdmin.password.reveal());
        const shown = await firstVisible({ shell: b.console('shell_role'), error: b.kc('username_error') });
        ctx.assert('signed in', shown === 'shell', { actual: shown === 'error' ? await text(b.kc('username_error')) : shown, expected: 'the console shell', code: 'console_login_failed' });
        ctx.check('shell role', await text(b.console('shell_role')), 'system_admin', { code: 'console_login_failed' });
      },
    }),
    systemAdminLogin(),
    createSyntheticTenant((res, ctx) => {
      ctx.vars.tenantName = res.body.name;
    }),
    bootstrapTenantUser('bootstrap the tenant admin', { label: 'admin', role: 'tenant_admin' }),
    browser('log out ends the SSO session', {
      id: 'logout-ends-sso',
      run: async (b, ctx) => {
        await b.console('logout').click();
        await b.console('sign_in').waitFor();
        ctx.assert('signed-out confirmation', await b.console('signed_out').isVisible(), { actual: 'no confirmation', expected: 'the console says you are signed out', code: 'logout_unconfirmed', soft: true });
        // A new authorization request, without prompt=login: a live SSO session would sign in silently.
        await b.console('sign_in').click();
        const shown = await firstVisible({ form: b.kc('username'), shell: b.console('shell_role') });
        ctx.assert('a new authorization request shows the login form', shown === 'form', {
          actual: shown === 'shell' ? `signed in silently as ${await text(b.console('shell_role'))}` : shown,
          expected: "Keycloak's login form",
          code: 'sso_session_survived_logout',
        });
        await b.page.goto(b.consoleUrl);
      },
    }),
    browser('switch user: the tenant admin replaces the temporary password', {
      id: 'switch-user-new-password',
      run: async (b, ctx) => {
        const me = ctx.identity('admin');
        await b.console('switch_user').click();
        await keycloakLogin(b, me.username, me.password);
        const shown = await firstVisible({ update: b.kc('update_password_form'), error: b.kc('error_message'), login: b.kc('username_error'), shell: b.console('shell_role') });
        const actual = shown === 'error' ? await text(b.kc('error_message')) : shown === 'login' ? await text(b.kc('username_error')) : `${shown} page`;
        ctx.assert("Keycloak's update-password page", shown === 'update', { actual, expected: 'update-password page for the temporary password', code: shown === 'error' ? 'switch_user_refused' : 'temporary_password_not_pending' });
        await keycloakNewPassword(b, WEAK_PASSWORD);
        const refused = await firstVisible({ error: b.kc('page_error'), shell: b.console('shell_role') });
        ctx.check('weak password refused with Keycloak\'s message', refused === 'error' ? await text(b.kc('page_error')) : 'accepted', WEAK_PASSWORD_MESSAGE, { code: 'weak_password_accepted' });
        const fresh = ctx.keepSecret('newPassword', `Nw${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}4#k`);
        await keycloakNewPassword(b, fresh);
        await b.console('shell_role').waitFor();
      },
    }),
    browser('the shell shows the tenant admin of the new tenant', {
      id: 'shell-shows-tenant-admin',
      run: async (b, ctx) => {
        ctx.check('shell role', await text(b.console('shell_role')), 'tenant_admin', { code: 'session_role_fallback' });
        ctx.check('shell tenant', await text(b.console('shell_tenant')), ctx.vars.tenantName, { code: 'session_partial' });
      },
    }),
    browser('tenant-admin actions are visible in the empty tenant', {
      id: 'tenant-admin-actions',
      run: async (b, ctx) => {
        await openTab(b, 'settings');
        ctx.assert('tenant-admin actions visible', await b.console('tenant_admin_actions').isVisible(), { actual: 'hidden', expected: 'the tenant-admin actions', code: 'tenant_admin_actions_missing' });
      },
    }),
    browser('the notice uses guardrail wording', {
      id: 'guardrail-wording',
      run: async (b, ctx) => {
        const notice = (await text(b.console('security_notice'))) ?? '';
        ctx.assert('notice wording', !/read-only/i.test(notice) && /guardrail/i.test(notice), { actual: notice, expected: 'guardrail wording, never "Read-only mode"', code: 'readonly_label' });
      },
    }),
    browser('create an enrollment token', {
      id: 'create-token',
      run: async (b, ctx) => {
        ctx.vars.tokenName = `${ctx.identity('admin').username}-agent`.slice(0, 100);
        await b.console('enrollment_token_name').fill(ctx.vars.tokenName);
        await b.console('enrollment_token_create').click();
        const shown = await firstVisible({ secret: b.console('enrollment_token_secret').filter({ hasText: /\S/ }), error: b.console('error_banner') });
        ctx.assert('token created', shown === 'secret', { actual: await text(b.console('error_banner')), expected: 'the new token shown once', code: 'enrollment_token_create_failed' });
        ctx.keepSecret('tokenSecret', (await text(b.console('enrollment_token_secret')))!);
        ctx.assert('token listed', (await tokenNames(b)).includes(ctx.vars.tokenName), { actual: await tokenNames(b), expected: `contains ${ctx.vars.tokenName}`, code: 'enrollment_token_missing' });
      },
    }),
    browser('the token is still listed after a tab switch', {
      id: 'token-after-tab-switch',
      run: async (b, ctx) => {
        await openTab(b, 'overview');
        await openTab(b, 'settings');
        const names = await tokenNames(b);
        ctx.assert('token listed after a tab switch', names.includes(ctx.vars.tokenName), { actual: names, expected: `contains ${ctx.vars.tokenName}`, code: 'enrollment_token_lost_on_tab_switch' });
      },
    }),
    browser('the token is still listed after a full reload', {
      id: 'token-after-reload',
      run: async (b, ctx) => {
        await b.page.reload();
        await openTab(b, 'settings');
        await b.console('enrollment_token_row').first().waitFor().catch(() => undefined);
        const names = await tokenNames(b);
        ctx.assert('token listed after a reload', names.includes(ctx.vars.tokenName), { actual: names, expected: `contains ${ctx.vars.tokenName}`, code: 'enrollment_token_lost_on_reload' });
      },
    }),
    login('tenant admin logs in with the new password', { user: (ctx) => ({ username: ctx.identity('admin').username, password: ctx.vars.newPassword }), saveAs: 'userToken' }),
    http('session says tenant_admin of the new tenant', {
      id: 'session-role',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/session', token: ctx.vars.userToken }),
      expect: { status: 200, failureCode: 'session_unavailable' },
      then: (res, ctx) => {
        ctx.check('session role', res.body?.role, 'tenant_admin', { code: 'session_role_fallback' });
        ctx.check('session tenant_id', res.body?.tenant_id, ctx.vars.tenantId, { code: 'session_partial' });
      },
    }),
    http('the API lists the token', {
      id: 'api-lists-token',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/agent-enrollment/tokens', token: ctx.vars.userToken }),
      expect: { status: 200, failureCode: 'enrollment_tokens_unavailable' },
      then: (res, ctx) => {
        const names = (res.body?.tokens ?? []).map((t: { name: string }) => t.name);
        ctx.assert('token listed by the API', names.includes(ctx.vars.tokenName), { actual: names, expected: `contains ${ctx.vars.tokenName}`, code: 'enrollment_token_missing' });
      },
    }),
    cleanupAdminLogin(tenantCreated),
    removeSyntheticUsers('remove the tenant admin', ['admin']),
    removeTenant(),
  ],
});
