// A real browser (Playwright + Debian's Chromium) logging into the sandbox console: the OP-071
// operator runbook end to end (sysadmin bootstraps a tenant admin, who switches in, sets a new
// password and creates an enrollment token in the empty tenant), the Settings lists (SCIM
// connections, tenants and their slug rule, the verification table), and each console fault
// producing its symptom, gone again with the fault off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { startSandbox, type RunningSandbox } from '../../src/start.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';

const db = useTestPostgres();
let sandbox: RunningSandbox;
let browser: Browser;
let sysadmin: { username: string; password: string };

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startSandbox({ databaseUrl: await db.createDatabase(), log: pino({ level: 'silent' }) }), launchChromium()]);
  sysadmin = sandbox.ready().systemAdmin;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

async function closePage(page: Page) {
  await page.context().close();
}

async function keycloakSignIn(page: Page, username: string, password: string) {
  await page.locator('form#kc-form-login #username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
}

async function keycloakUpdatePassword(page: Page, password: string) {
  await page.locator('form#kc-passwd-update-form').waitFor();
  await page.locator('#password-new').fill(password);
  await page.locator('#password-confirm').fill(password);
  await page.locator('#kc-submit').click();
}

/** From the console's login page through Keycloak back into the shell. */
async function consoleSignIn(page: Page, username: string, password: string, o: { via?: 'sign-in' | 'switch-user'; newPassword?: string } = {}) {
  if (!page.url().startsWith(sandbox.consoleUrl)) await page.goto(sandbox.consoleUrl);
  await page.getByTestId(o.via ?? 'sign-in').click();
  await keycloakSignIn(page, username, password);
  if (o.newPassword) await keycloakUpdatePassword(page, o.newPassword);
  await page.getByTestId('shell-role').waitFor();
}

async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await page.getByTestId('switch-user').waitFor();
  expect(new URL(page.url()).origin).toBe(sandbox.consoleUrl);
  expect(await page.getByTestId('signed-out').textContent()).toContain('You are signed out.');
}

async function openTab(page: Page, tab: 'overview' | 'settings') {
  await page.getByTestId(`tab-${tab}`).click();
  await page.getByTestId(`panel-${tab}`).waitFor({ state: 'visible' });
}

async function tokenNames(page: Page): Promise<string[]> {
  return page.getByTestId('enrollment-token-row').locator('td.name').allTextContents();
}

async function scimNames(page: Page): Promise<string[]> {
  return page.getByTestId('scim-connection-row').locator('td.name').allTextContents();
}

async function tenantSlugs(page: Page): Promise<string[]> {
  return page.getByTestId('tenant-row').locator('td.slug').allTextContents();
}

/** The system admin, signed in, on the Settings tab. */
async function signedInSysadmin(): Promise<Page> {
  const page = await newPage();
  await consoleSignIn(page, sysadmin.username, sysadmin.password);
  await openTab(page, 'settings');
  return page;
}

/** Creates a tenant in the Settings form and returns its slug and id once its row is listed. */
async function createTenantInForm(page: Page, label: string): Promise<{ slug: string; id: string }> {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  await page.getByTestId('tenant-name').fill(`Tenant ${slug}`);
  await page.getByTestId('tenant-slug').fill(slug);
  await page.getByTestId('tenant-create').click();
  const row = page.getByTestId('tenant-row').filter({ hasText: slug });
  await row.waitFor();
  return { slug, id: (await row.getAttribute('data-tenant-id'))! };
}

/** Fills the bootstrap form for a new tenant_admin of `tenantId` and submits it. */
async function bootstrapInForm(page: Page, tenantId: string, userId: string, password: string) {
  await page.getByTestId('bootstrap-tenant').selectOption(tenantId);
  await page.getByTestId('bootstrap-user-id').fill(userId);
  await page.getByTestId('bootstrap-display-name').fill(`Admin ${userId}`);
  await page.getByTestId('bootstrap-email').fill(`${userId}@example.test`);
  await page.getByTestId('bootstrap-role').selectOption('tenant_admin');
  await page.getByTestId('bootstrap-password').fill(password);
  await page.getByTestId('bootstrap-submit').click();
}

/** The verification table as [check, result] pairs. */
async function verificationRows(page: Page): Promise<[string, string][]> {
  return page.getByTestId('verification-row').evaluateAll((rows) => rows.map((r) => [r.children[0]!.textContent!, r.getAttribute('data-ok')!] as [string, string]));
}

/** Keycloak's users with this exact username, through its Admin REST API. */
async function keycloakUsers(username: string): Promise<unknown[]> {
  const { adminClient } = sandbox.ready();
  const tokenRes = await fetch(`${sandbox.idp.url}/realms/sandbox/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: adminClient.clientId, client_secret: adminClient.clientSecret }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${sandbox.idp.url}/admin/realms/sandbox/users?exact=true&username=${encodeURIComponent(username)}`, { headers: { authorization: `Bearer ${access_token}` } });
  return (await res.json()) as unknown[];
}

async function platformApi(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${sandbox.platformUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function userToken(username: string, password: string): Promise<string> {
  const { canaryClient } = sandbox.ready();
  const res = await fetch(`${sandbox.idp.url}/realms/sandbox/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: canaryClient.clientId, client_secret: canaryClient.clientSecret, username, password }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const sysadminToken = () => userToken(sysadmin.username, sysadmin.password);

/** A fresh tenant with one bootstrapped user, created through the platform API as system_admin. */
async function bootstrapTenantUser(role = 'tenant_admin') {
  const token = await sysadminToken();
  const tag = randomUUID().slice(0, 8);
  const tenant = await platformApi('POST', '/api/v1/admin/tenants', token, { name: `Browser ${tag}`, slug: `browser-${tag}` });
  expect(tenant.status).toBe(201);
  const user = { user_id: `admin-${tag}`, display_name: `Admin ${tag}`, email: `admin-${tag}@example.test`, role, initial_password: 'Temp-Passw0rd!x9' };
  const created = await platformApi('POST', `/api/v1/admin/tenants/${tenant.body.id}/users`, token, user);
  expect(created.status).toBe(201);
  return { tenantId: tenant.body.id as string, username: user.user_id, temporary: user.initial_password, password: 'Fresh-Passw0rd!42' };
}

/** A tenant user who has already replaced the temporary password, signed in on a fresh page. */
async function signedInTenantAdmin() {
  const admin = await bootstrapTenantUser();
  const page = await newPage();
  await consoleSignIn(page, admin.username, admin.temporary, { newPassword: admin.password });
  return { page, admin };
}

describe('console in a real browser', () => {
  it('runs the OP-071 runbook: sysadmin bootstraps a tenant admin, who switches in and keeps a created enrollment token', async () => {
    const page = await newPage();
    await page.goto(sandbox.consoleUrl);
    await consoleSignIn(page, sysadmin.username, sysadmin.password);
    await expect.poll(() => page.getByTestId('shell-role').textContent()).toBe('system_admin');
    expect(await page.getByTestId('shell-user').textContent()).toContain('sysadmin@sandbox.onramp.test');

    // Create the tenant and its first tenant admin in Settings, as the runbook says.
    const tag = randomUUID().slice(0, 8);
    await openTab(page, 'settings');
    expect(await page.getByTestId('security-notice').textContent()).toMatch(/^Guardrails on/);
    await page.getByTestId('tenant-name').fill(`Runbook ${tag}`);
    await page.getByTestId('tenant-slug').fill(`runbook-${tag}`);
    await page.getByTestId('tenant-create').click();
    const tenantRow = page.getByTestId('tenant-row').filter({ hasText: `runbook-${tag}` });
    await tenantRow.waitFor();
    const tenantId = (await tenantRow.getAttribute('data-tenant-id'))!;
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);

    const userId = `ta-${tag}`;
    await page.getByTestId('bootstrap-tenant').selectOption(tenantId);
    await page.getByTestId('bootstrap-user-id').fill(userId);
    await page.getByTestId('bootstrap-display-name').fill(`Tenant Admin ${tag}`);
    await page.getByTestId('bootstrap-email').fill(`${userId}@example.test`);
    await page.getByTestId('bootstrap-role').selectOption('tenant_admin');
    await page.getByTestId('bootstrap-password').fill('Temp-Passw0rd!x9');
    await page.getByTestId('bootstrap-submit').click();
    await page.getByTestId('verification-row').first().waitFor();
    const verdicts = await page.getByTestId('verification-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ok')));
    expect(verdicts.length).toBeGreaterThan(2);
    expect(verdicts.every((v) => v === 'true')).toBe(true);
    expect(await page.getByTestId('error-banner').isHidden()).toBe(true);
    // It says what it created and clears the form for the next user.
    expect(await page.getByTestId('bootstrap-result').textContent()).toBe(`Created tenant_admin ${userId} in Runbook ${tag}. They sign in with the temporary password and must set a new one.`);
    expect(await page.getByTestId('bootstrap-user-id').inputValue()).toBe('');
    expect(await page.getByTestId('bootstrap-email').inputValue()).toBe('');
    expect(await page.getByTestId('bootstrap-tenant').inputValue()).toBe(tenantId);

    // Logout ends the SSO session too, so switch-user can sign in someone else.
    await logout(page);
    await consoleSignIn(page, userId, 'Temp-Passw0rd!x9', { via: 'switch-user', newPassword: 'Fresh-Passw0rd!42' });
    expect(await page.getByTestId('shell-role').textContent()).toBe('tenant_admin');
    // Names in the header, ids second (tooltip and data-id; the Overview shows them in full).
    expect(await page.getByTestId('shell-tenant').textContent()).toBe(`Runbook ${tag}`);
    expect(await page.getByTestId('shell-tenant').getAttribute('data-id')).toBe(tenantId);
    expect(await page.getByTestId('shell-project').textContent()).not.toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId('shell-project').getAttribute('data-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId('panel-overview').textContent()).toContain(tenantId);

    // The empty tenant still offers tenant-admin actions.
    await openTab(page, 'settings');
    await expect.poll(() => page.getByTestId('tenant-admin-actions').isVisible()).toBe(true);
    expect(await page.getByTestId('security-notice').textContent()).toBe('Guardrails on: token creation is audited and limited to this tenant.');
    expect(await tokenNames(page)).toEqual([]);

    await page.getByTestId('enrollment-token-name').fill('rack-7 agents');
    await page.getByTestId('enrollment-token-create').click();
    await expect.poll(() => page.getByTestId('enrollment-token-secret').textContent()).toMatch(/^oet_/);
    expect(await tokenNames(page)).toEqual(['rack-7 agents']);
    const row = page.getByTestId('enrollment-token-row').first();
    expect(await row.locator('td.prefix').textContent()).toMatch(/^oet_/);
    expect(await row.locator('td.expires').textContent()).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Tabs switch in the page (no reload), and the token stays.
    await page.evaluate(() => ((window as any).__noReload = true));
    await openTab(page, 'overview');
    expect(await page.getByTestId('panel-settings').isHidden()).toBe(true);
    await openTab(page, 'settings');
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
    expect(await tokenNames(page)).toEqual(['rack-7 agents']);

    // And after a full reload, from GET /api/v1/agent-enrollment/tokens; the secret is not shown again.
    await page.reload();
    await openTab(page, 'settings');
    await expect.poll(() => tokenNames(page)).toEqual(['rack-7 agents']);
    expect(await page.getByTestId('enrollment-token-secret').textContent()).toBe('');
    await closePage(page);
  });

  it('shows an auditor no mutation controls', async () => {
    const auditor = await bootstrapTenantUser('auditor');
    const page = await newPage();
    await consoleSignIn(page, auditor.username, auditor.temporary, { newPassword: auditor.password });
    expect(await page.getByTestId('shell-role').textContent()).toBe('auditor');
    await openTab(page, 'settings');
    expect(await page.getByTestId('security-notice').textContent()).toMatch(/^Read-only mode/);
    expect(await page.getByTestId('tenant-admin-actions').count()).toBe(0);
    expect(await page.getByTestId('enrollment-token-create').count()).toBe(0);
    expect(await page.getByTestId('tenant-create').count()).toBe(0);
    await closePage(page);
  });
});

describe('console Settings in a real browser', () => {
  it('SCIM connections: created, kept across a tab switch and a reload, listed by the API, removed', async () => {
    const { page, admin } = await signedInTenantAdmin();
    await openTab(page, 'settings');
    expect(await scimNames(page)).toEqual([]);
    expect(await page.getByTestId('scim-connections').textContent()).toContain('No SCIM connections yet.');
    await page.getByTestId('scim-connection-name').fill('Corporate Okta');
    await page.getByTestId('scim-connection-provider').selectOption('okta');
    await page.getByTestId('scim-connection-create').click();
    await expect.poll(() => scimNames(page)).toEqual(['Corporate Okta']);
    expect(await page.getByTestId('scim-connection-row').locator('td.provider').textContent()).toBe('Okta');
    await openTab(page, 'overview');
    await openTab(page, 'settings');
    expect(await scimNames(page)).toEqual(['Corporate Okta']);
    await page.reload();
    await openTab(page, 'settings');
    expect(await scimNames(page)).toEqual(['Corporate Okta']);

    const token = await userToken(admin.username, admin.password);
    const listed = await platformApi('GET', '/api/v1/scim/connections', token);
    expect(listed.body.connections.map((c: { name: string; provider: string }) => [c.name, c.provider])).toEqual([['Corporate Okta', 'okta']]);

    await page.getByTestId('scim-connection-remove').click();
    await expect.poll(() => scimNames(page)).toEqual([]);
    expect((await platformApi('GET', '/api/v1/scim/connections', token)).body.connections).toEqual([]);
    await page.reload();
    await openTab(page, 'settings');
    expect(await scimNames(page)).toEqual([]);
    await closePage(page);
  });

  it('the slug pattern is a valid regular expression: Chromium logs no warning and the form refuses a bad slug', async () => {
    const page = await newPage();
    const logged: string[] = [];
    page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
    await consoleSignIn(page, sysadmin.username, sysadmin.password);
    await openTab(page, 'settings');
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    const before = await tenantSlugs(page);
    for (const bad of ['Bad_Slug', 'ab', '-leading', 'trailing-']) {
      await page.getByTestId('tenant-name').fill(`Refused ${bad}`);
      await page.getByTestId('tenant-slug').fill(bad);
      await page.getByTestId('tenant-create').click();
      expect(await page.getByTestId('tenant-slug').evaluate((el: HTMLInputElement) => [el.validity.patternMismatch || el.validity.tooShort, el.matches(':invalid')]), bad).toEqual([true, true]);
    }
    expect(posts).toEqual([]);
    expect(await tenantSlugs(page)).toEqual(before);
    // A good one goes through, so the refusals were the pattern's.
    await createTenantInForm(page, 'pattern');
    expect(logged.filter((l) => /pattern/i.test(l))).toEqual([]);
    await closePage(page);
  });

  it('the verification table shows every Keycloak check green after a bootstrap, and a weak password is refused with the policy message', async () => {
    const page = await signedInSysadmin();
    const tenant = await createTenantInForm(page, 'verify');
    const userId = `vt-${randomUUID().slice(0, 8)}`;
    for (const weak of ['Sh0rt!pw', `Aa1!${tenant.slug}`]) {
      await bootstrapInForm(page, tenant.id, userId, weak);
      await expect.poll(() => page.getByTestId('error-banner').getAttribute('data-code')).toBe('invalid_request');
      expect(await page.getByTestId('error-banner').textContent()).toContain('initial_password violates the password policy');
      expect(await page.getByTestId('verification-table').isVisible()).toBe(false);
    }
    expect(await keycloakUsers(userId)).toEqual([]);
    await bootstrapInForm(page, tenant.id, userId, 'Temp-Passw0rd!x9');
    await page.getByTestId('bootstrap-result').waitFor();
    const rows = await verificationRows(page);
    expect(rows.map(([name]) => name)).toEqual(['exists', 'username', 'email', 'enabled', 'attributes.platform_user_id', 'attributes.tenant_id', 'attributes.org_id', 'attributes.platform_role', 'temporary_password_pending', 'password_credential']);
    expect(rows.filter(([, ok]) => ok !== 'true')).toEqual([]);
    expect(await page.locator('#verification-summary').textContent()).toBe('Keycloak verification succeeded: all 10 checks passed.');
    await closePage(page);
  });
});

describe('console faults in a real browser', () => {
  it('keycloak_attribute_mismatch: the verification table shows the red tenant_id row beside the green ones, and no user is made', async () => {
    const page = await signedInSysadmin();
    const tenant = await createTenantInForm(page, 'mismatch');
    const userId = `mm-${randomUUID().slice(0, 8)}`;
    sandbox.faults.set({ on: ['keycloak_attribute_mismatch'] });
    try {
      await bootstrapInForm(page, tenant.id, userId, 'Temp-Passw0rd!x9');
      await page.getByTestId('verification-row').first().waitFor();
    } finally {
      sandbox.faults.set({ off: ['keycloak_attribute_mismatch'] });
    }
    const rows = await verificationRows(page);
    expect(rows.length).toBe(10);
    expect(rows.filter(([, ok]) => ok !== 'true')).toEqual([['attributes.tenant_id', 'false']]);
    const red = page.locator('[data-testid="verification-row"][data-ok="false"]');
    expect(await red.locator('td').allTextContents()).toEqual(['attributes.tenant_id', tenant.id, '00000000-0000-4000-8000-00000000dead', 'mismatch']);
    expect(await red.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(await page.locator('#verification-summary').textContent()).toBe('1 of 10 checks failed.');
    expect(await page.getByTestId('error-banner').getAttribute('data-code')).toBe('keycloak_verification_failed');
    expect(await page.getByTestId('bootstrap-result').isHidden()).toBe(true);
    expect(await keycloakUsers(userId)).toEqual([]);
    await closePage(page);
  });

  it('settings_state_local_tenants: a created tenant row disappears after a tab switch, is back after reload, and stays with the fault off', async () => {
    const page = await newPage();
    await consoleSignIn(page, sysadmin.username, sysadmin.password);
    sandbox.faults.set({ on: ['settings_state_local_tenants'] });
    let lost: string;
    try {
      await page.reload();
      await openTab(page, 'settings');
      lost = (await createTenantInForm(page, 'lost')).slug;
      await openTab(page, 'overview');
      await openTab(page, 'settings');
      expect(await tenantSlugs(page)).not.toContain(lost);
      await page.reload();
      await openTab(page, 'settings');
      expect(await tenantSlugs(page)).toContain(lost);
    } finally {
      sandbox.faults.set({ off: ['settings_state_local_tenants'] });
    }
    await page.reload();
    await openTab(page, 'settings');
    const kept = (await createTenantInForm(page, 'kept')).slug;
    await openTab(page, 'overview');
    await openTab(page, 'settings');
    expect(await tenantSlugs(page)).toEqual(expect.arrayContaining([lost, kept]));
    await closePage(page);
  });

  it('settings_state_local_scim: a created SCIM connection disappears after a tab switch, is back after reload; tokens are not affected', async () => {
    const { page } = await signedInTenantAdmin();
    sandbox.faults.set({ on: ['settings_state_local_scim'] });
    try {
      await page.reload();
      await openTab(page, 'settings');
      await page.getByTestId('scim-connection-name').fill('lost-on-switch');
      await page.getByTestId('scim-connection-create').click();
      await expect.poll(() => scimNames(page)).toEqual(['lost-on-switch']);
      await page.getByTestId('enrollment-token-name').fill('kept-token');
      await page.getByTestId('enrollment-token-create').click();
      await expect.poll(() => tokenNames(page)).toEqual(['kept-token']);
      await openTab(page, 'overview');
      await openTab(page, 'settings');
      expect([await scimNames(page), await tokenNames(page)]).toEqual([[], ['kept-token']]);
      await page.reload();
      await openTab(page, 'settings');
      expect(await scimNames(page)).toEqual(['lost-on-switch']);
    } finally {
      sandbox.faults.set({ off: ['settings_state_local_scim'] });
    }
    await page.reload();
    await openTab(page, 'settings');
    await page.getByTestId('scim-connection-name').fill('kept-on-switch');
    await page.getByTestId('scim-connection-create').click();
    await expect.poll(() => scimNames(page)).toEqual(['lost-on-switch', 'kept-on-switch']);
    await openTab(page, 'overview');
    await openTab(page, 'settings');
    expect(await scimNames(page)).toEqual(['lost-on-switch', 'kept-on-switch']);
    await closePage(page);
  });


  it('logout_skips_end_session: switch-user after logout meets the live sysadmin SSO session; with the fault off it works', async () => {
    const admin = await bootstrapTenantUser();
    sandbox.faults.set({ on: ['logout_skips_end_session'] });
    try {
      const page = await newPage();
      await consoleSignIn(page, sysadmin.username, sysadmin.password);
      await logout(page);
      await page.getByTestId('switch-user').click();
      await keycloakSignIn(page, admin.username, admin.temporary);
      await expect.poll(() => page.locator('#kc-error-message').textContent()).toContain(
        "You are already authenticated as different user 'sysadmin' in this session. Please sign out first.",
      );
      await closePage(page);
    } finally {
      sandbox.faults.set({ off: ['logout_skips_end_session'] });
    }

    const page = await newPage();
    await consoleSignIn(page, sysadmin.username, sysadmin.password);
    await logout(page);
    await consoleSignIn(page, admin.username, admin.temporary, { via: 'switch-user', newPassword: admin.password });
    expect(await page.getByTestId('shell-role').textContent()).toBe('tenant_admin');
    await closePage(page);
  });

  it('settings_state_local: a created token disappears after a tab switch, is back after reload, and stays with the fault off', async () => {
    const { page } = await signedInTenantAdmin();
    sandbox.faults.set({ on: ['settings_state_local'] });
    try {
      await page.reload();
      await openTab(page, 'settings');
      await page.getByTestId('enrollment-token-name').fill('lost-on-switch');
      await page.getByTestId('enrollment-token-create').click();
      await expect.poll(() => tokenNames(page)).toEqual(['lost-on-switch']);
      await openTab(page, 'overview');
      await openTab(page, 'settings');
      expect(await tokenNames(page)).toEqual([]);
      await page.reload();
      await openTab(page, 'settings');
      expect(await tokenNames(page)).toEqual(['lost-on-switch']);
    } finally {
      sandbox.faults.set({ off: ['settings_state_local'] });
    }

    await page.reload();
    await openTab(page, 'settings');
    await page.getByTestId('enrollment-token-name').fill('kept-on-switch');
    await page.getByTestId('enrollment-token-create').click();
    await expect.poll(() => tokenNames(page)).toEqual(['lost-on-switch', 'kept-on-switch']);
    await openTab(page, 'overview');
    await openTab(page, 'settings');
    expect(await tokenNames(page)).toEqual(['lost-on-switch', 'kept-on-switch']);
    await closePage(page);
  });

  it('readonly_label: the notice says Read-only mode beside the mutation controls; with the fault off it names the guardrails', async () => {
    const { page } = await signedInTenantAdmin();
    sandbox.faults.set({ on: ['readonly_label'] });
    try {
      await page.reload();
      await openTab(page, 'settings');
      expect(await page.getByTestId('security-notice').textContent()).toBe('Read-only mode');
      expect(await page.getByTestId('enrollment-token-create').isVisible()).toBe(true);
    } finally {
      sandbox.faults.set({ off: ['readonly_label'] });
    }
    await page.reload();
    await openTab(page, 'settings');
    expect(await page.getByTestId('security-notice').textContent()).toMatch(/^Guardrails on/);
    expect(await page.getByTestId('enrollment-token-create').isVisible()).toBe(true);
    await closePage(page);
  });
});

describe('console as a person sees it at 1280 px', () => {
  it("keeps the tenant admin's header on one line, heads every Projects column, and logs no console error", async () => {
    const { page } = await signedInTenantAdmin();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    const top = async (id: string) => (await page.getByTestId(id).boundingBox())!.y;
    const brand = (await page.locator('.brand').boundingBox())!;
    expect(brand.height).toBeLessThan(30);
    expect(Math.abs((await top('logout')) - (await top('shell-role')))).toBeLessThan(12);
    expect((await page.locator('.shell-header').boundingBox())!.height).toBeLessThan(70);
    const headers = await page.locator('[data-testid="panel-overview"] table.list th').allTextContents();
    expect(headers).toEqual(['Project', 'Id', 'Default']);
    expect(errors).toEqual([]);
    const icon = await fetch(`${sandbox.consoleUrl}/favicon.ico`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    await closePage(page);
  });
});

