// A real browser (Playwright + Chromium) through the sandbox IdP's Keycloak login pages, using the
// selectors a script written for real Keycloak's keycloak.v2 theme uses.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright';
import * as oidc from 'openid-client';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../../../../test/support/chromium.ts';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { createUserWithPassword } from '../support/users.ts';
import KcAdminClient from '@keycloak/keycloak-admin-client';

let CALLBACK: string;
let appServer: Server;
const visits: string[] = [];
const posts: string[] = [];
let idp: RunningIdp;
let browser: Browser;
let config: oidc.Configuration;

beforeAll(async () => {
  // The client application: a real local server, since browser routing does not see redirects.
  appServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // A form_post response arrives as a POSTed form: recorded as the equivalent query URL.
      const posted = req.method === 'POST' ? `?${Buffer.concat(chunks).toString()}` : '';
      if (req.method === 'POST') posts.push(req.url!);
      if (req.url!.startsWith('/callback')) visits.push(new URL(`${req.url!}${posted}`, CALLBACK).toString());
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="app">callback</p>');
    });
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  CALLBACK = `${appUrl}/callback`;
  [idp, browser] = await Promise.all([
    startIdp({ realmFile: DEFAULT_REALM_FILE, vars: { ONRAMP_CONSOLE_URL: appUrl } }),
    launchChromium(),
  ]);
  config = await oidc.discovery(new URL(`${idp.url}/realms/sandbox`), 'onramp-console', 'sandbox-console-secret', undefined, { execute: [oidc.allowInsecureRequests] });
});
afterAll(async () => {
  await browser?.close();
  await idp?.close();
  appServer?.close();
});

/** A tenant admin as the platform creates one: temporary password, UPDATE_PASSWORD pending. */
async function createTemporaryUser(password: string) {
  return (await createUserWithPassword(idp, password, { requiredActions: ['UPDATE_PASSWORD'] })).username;
}

async function openApp(): Promise<{ context: BrowserContext; page: Page; visits: string[] }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage(), visits };
}

/** Navigates to the authorization endpoint; `callback` resolves with the next visit of the app. */
async function authorize(app: { page: Page; visits: string[] }, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid', state: randomUUID(),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  const seen = app.visits.length;
  await app.page.goto(url.toString());
  const callback = (async () => {
    await expect.poll(() => app.visits.length, { timeout: 10_000 }).toBeGreaterThan(seen);
    return app.visits[seen]!;
  })();
  return { callback, verifier };
}

async function signIn(page: Page, username: string, password: string) {
  await page.locator('form#kc-form-login #username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
}

describe('browser login through the sandbox IdP', () => {
  it('shows the error for a wrong password, then the update-password page for a temporary one, then returns a code', async () => {
    const app = await openApp();
    const { page } = app;
    const username = await createTemporaryUser('Temp-Passw0rd!x');
    const { callback, verifier } = await authorize(app);

    await signIn(page, username, 'not-the-password');
    await expect.poll(() => page.locator('#input-error-username').textContent()).toContain('Invalid username or password.');

    await signIn(page, username, 'Temp-Passw0rd!x');
    await page.locator('form#kc-passwd-update-form').waitFor();
    await page.locator('#password-new').fill('short');
    await page.locator('#password-confirm').fill('short');
    await page.locator('#kc-submit').click();
    await expect.poll(() => page.content()).toContain('Invalid password: minimum length 12.');

    await page.locator('#password-new').fill('Brand-New-Passw0rd!');
    await page.locator('#password-confirm').fill('Brand-New-Passw0rd!');
    await page.locator('#kc-submit').click();
    const tokens = await oidc.authorizationCodeGrant(config, new URL(await callback), { pkceCodeVerifier: verifier, expectedState: oidc.skipStateCheck });
    expect(tokens.claims()?.preferred_username).toBe(username);
    const user = await idp.ctx.store.findUserByUsername('sandbox', username);
    expect(user?.requiredActions).toEqual([]);
    await app.context.close();
  });

  it('refuses prompt=login as another user while the SSO session lives, and allows it after end-session', async () => {
    const app = await openApp();
    const { page } = app;
    const first = await authorize(app);
    await signIn(page, 'sysadmin', 'Sandbox-Admin-2026!');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(await first.callback), { pkceCodeVerifier: first.verifier, expectedState: oidc.skipStateCheck });

    const other = await createTemporaryUser('Other-Passw0rd!x');
    await authorize(app, { prompt: 'login' });
    await signIn(page, other, 'Other-Passw0rd!x');
    await expect.poll(() => page.locator('#kc-error-message').textContent()).toContain(
      "You are already authenticated as different user 'sysadmin' in this session. Please sign out first.",
    );

    await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CALLBACK, state: 'out' }).toString());
    expect(app.visits.at(-1)).toBe(`${CALLBACK}?state=out`);
    const again = await authorize(app, { prompt: 'login' });
    await signIn(page, other, 'Other-Passw0rd!x');
    await page.locator('form#kc-passwd-update-form').waitFor();
    await page.locator('#password-new').fill('Other-New-Passw0rd!');
    await page.locator('#password-confirm').fill('Other-New-Passw0rd!');
    await page.locator('#kc-submit').click();
    const second = await oidc.authorizationCodeGrant(config, new URL(await again.callback), { pkceCodeVerifier: again.verifier, expectedState: oidc.skipStateCheck });
    expect(second.claims()?.preferred_username).toBe(other);
    await app.context.close();
  });

  it('answers response_mode=form_post with Keycloak\'s auto-submitting form, for a client made with the admin client', async () => {
    const kc = new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
    await kc.auth({ grantType: 'password', clientId: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' });
    await kc.clients.create({ clientId: 'probe-form-post', publicClient: true, redirectUris: [CALLBACK], attributes: { 'pkce.code.challenge.method': 'S256' } });
    const formPost = await oidc.discovery(new URL(`${idp.url}/realms/sandbox`), 'probe-form-post', undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });

    const app = await openApp();
    const { page } = app;
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(formPost, {
      redirect_uri: CALLBACK, scope: 'openid', state: 'fp-state', response_mode: 'form_post',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const seen = app.visits.length;
    await page.goto(url.toString());
    await signIn(page, 'sysadmin', 'Sandbox-Admin-2026!');
    await expect.poll(() => app.visits.length, { timeout: 10_000 }).toBeGreaterThan(seen);
    const callback = new URL(app.visits[seen]!);
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'iss', 'session_state', 'state']);
    expect(callback.searchParams.get('iss')).toBe(`${idp.url}/realms/sandbox`);

    // The browser got there by submitting the page's form (a POST): the page itself is checked
    // header for header in admin-clients-tokens.test.ts.
    expect(posts.at(-1)).toBe('/callback');
    const tokens = await oidc.authorizationCodeGrant(formPost, callback, { pkceCodeVerifier: verifier, expectedState: 'fp-state' });
    expect(tokens.claims()).toMatchObject({ azp: 'probe-form-post', preferred_username: 'sysadmin', sid: callback.searchParams.get('session_state') });
    await app.context.close();
  });
});
