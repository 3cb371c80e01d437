// Browser steps the console journeys share (switch-user-login, operator-bootstrap): the system
// admin's console sign-in, logout that must end the SSO session, switch user with the temporary
// password replaced, and the tenant-admin view of the new, empty tenant. Step names and codes are
// what reports and the fault table key on: both journeys report a symptom the same way.
// Not a journey: the loader only picks up `*.journey.ts`.
import { randomBytes } from 'node:crypto';
import { browser, login, type BrowserStep, type HttpStep } from 'onramp';
import { firstVisible, keycloakLogin, keycloakNewPassword, openTab, text } from './browser.ts';

/** What Keycloak answers for a new password under the realm's minimum length. */
const WEAK_NEW_PASSWORD = 'Sh0rt!pw';
const WEAK_NEW_PASSWORD_MESSAGE = 'Invalid password: minimum length 12.';

/** "system admin signs in through the console" (`console_login_failed`), through Keycloak's login page. */
export const systemAdminConsoleLogin = (): BrowserStep =>
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
  });

/** "log out ends the SSO session" (`sso_session_survived_logout`): a new authorization request must show the login form. */
export const logoutEndsSsoSession = (): BrowserStep =>
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
  });

/**
 * "switch user: the tenant admin replaces the temporary password": the identity `label` signs in
 * with its temporary password, Keycloak refuses a weak new one with its message
 * (`weak_password_accepted`), and the compliant one lands in the shell (`ctx.vars.newPassword`).
 */
export const switchUserNewPassword = (label: string): BrowserStep =>
  browser('switch user: the tenant admin replaces the temporary password', {
    id: 'switch-user-new-password',
    run: async (b, ctx) => {
      const me = ctx.identity(label);
      await b.console('switch_user').click();
      await keycloakLogin(b, me.username, me.password);
      const shown = await firstVisible({ update: b.kc('update_password_form'), error: b.kc('error_message'), login: b.kc('username_error'), shell: b.console('shell_role') });
      const actual = shown === 'error' ? await text(b.kc('error_message')) : shown === 'login' ? await text(b.kc('username_error')) : `${shown} page`;
      ctx.assert("Keycloak's update-password page", shown === 'update', { actual, expected: 'update-password page for the temporary password', code: shown === 'error' ? 'switch_user_refused' : 'temporary_password_not_pending' });
      await keycloakNewPassword(b, WEAK_NEW_PASSWORD);
      const refused = await firstVisible({ error: b.kc('page_error'), shell: b.console('shell_role') });
      ctx.check("weak password refused with Keycloak's message", refused === 'error' ? await text(b.kc('page_error')) : 'accepted', WEAK_NEW_PASSWORD_MESSAGE, { code: 'weak_password_accepted' });
      const fresh = ctx.keepSecret('newPassword', `Nw${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}4#k`);
      await keycloakNewPassword(b, fresh);
      await b.console('shell_role').waitFor();
    },
  });

/** "the shell shows the tenant admin of the new tenant" (`ctx.vars.tenantName`): role and tenant as /api/v1/session says. */
export const shellShowsTenantAdmin = (): BrowserStep =>
  browser('the shell shows the tenant admin of the new tenant', {
    id: 'shell-shows-tenant-admin',
    run: async (b, ctx) => {
      ctx.check('shell role', await text(b.console('shell_role')), 'tenant_admin', { code: 'session_role_fallback' });
      ctx.check('shell tenant', await text(b.console('shell_tenant')), ctx.vars.tenantName, { code: 'session_partial' });
    },
  });

/** "tenant-admin actions are visible in the empty tenant", on the Settings tab. */
export const tenantAdminActionsVisible = (): BrowserStep =>
  browser('tenant-admin actions are visible in the empty tenant', {
    id: 'tenant-admin-actions',
    run: async (b, ctx) => {
      await openTab(b, 'settings');
      ctx.assert('tenant-admin actions visible', await b.console('tenant_admin_actions').isVisible(), { actual: 'hidden', expected: 'the tenant-admin actions', code: 'tenant_admin_actions_missing' });
    },
  });

/** The identity `label` logs in with the password it set in the browser; its token goes to `ctx.vars.userToken`. */
export const tenantAdminLogin = (label: string): HttpStep =>
  login('tenant admin logs in with the new password', { user: (ctx) => ({ username: ctx.identity(label).username, password: ctx.vars.newPassword }), saveAs: 'userToken' });
