// The console server against a real sandbox IdP: what a signed-out browser sees, the authorization
// request it sends, the code flow into a server-side session, logout through end-session, and the
// guards of its JSON endpoints. The platform is left unreachable here; the browser test runs the
// console against the real platform.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createConsoleServer, type RunningConsole } from '../../src/console/index.ts';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { FaultSet } from '../../src/faults/fault-set.ts';
import { ConsoleOidc } from '../../src/console/oidc.ts';
import { accessTokenFor } from '../../src/console/access-token.ts';
import { SessionStore } from '../../src/console/sessions.ts';
import type { ConsoleContext } from '../../src/console/context.ts';
import { CookieBrowser, formAction } from '../../../../test/support/cookie-browser.ts';

let idp: RunningIdp;
let console_: RunningConsole;
let unconfigured: RunningConsole;
let deadPlatformUrl: string;
const faults = new FaultSet();

/** A URL on which nothing listens: the platform is down for these tests. */
async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  [console_, unconfigured, deadPlatformUrl] = await Promise.all([createConsoleServer(), createConsoleServer(), closedPortUrl()]);
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE, vars: { ONRAMP_CONSOLE_URL: console_.url } });
  console_.configure({ issuer: `${idp.url}/realms/sandbox`, clientId: 'onramp-console', clientSecret: 'sandbox-console-secret', platformUrl: deadPlatformUrl, faults });
});
afterAll(async () => {
  await Promise.all([console_?.close(), unconfigured?.close()]);
  await idp?.close();
});

/** Signs in through the console and the IdP's login form; returns the browser holding the session. */
async function signIn(username = 'sysadmin', password = 'Sandbox-Admin-2026!') {
  const browser = new CookieBrowser();
  const start = await browser.request(`${console_.url}/auth/login`);
  expect(start.status).toBe(302);
  const loginPage = await browser.request(start.headers.get('location')!);
  const action = formAction(await loginPage.text(), 'kc-form-login');
  const { url } = await browser.follow(action, { form: { username, password, credentialId: '' } }, `${console_.url}/auth/callback`);
  const callback = await browser.request(url);
  expect(callback.status).toBe(302);
  expect(callback.headers.get('location')).toBe('/');
  return browser;
}

describe('console before configure', () => {
  it.each(['/', '/auth/login', '/app/api/session'])('answers %s with 503 and no-store', async (path) => {
    const res = await fetch(`${unconfigured.url}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('retry-after')).toBe('1');
  });
});

describe('console signed out', () => {
  it('shows the sign-in and switch-user links at /', async () => {
    const res = await fetch(`${console_.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/<a [^>]*href="\/auth\/login"[^>]*data-testid="sign-in"/);
    expect(html).toMatch(/<a [^>]*href="\/auth\/login\?switch=1"[^>]*data-testid="switch-user"/);
    expect(html).not.toContain('data-testid="shell-role"');
  });

  it('sends switch-user to the IdP with prompt=login and a PKCE S256 challenge', async () => {
    const res = await fetch(`${console_.url}/auth/login?switch=1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.url}/realms/sandbox/protocol/openid-connect/auth`);
    const q = location.searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      client_id: 'onramp-console',
      response_type: 'code',
      redirect_uri: `${console_.url}/auth/callback`,
      prompt: 'login',
      code_challenge_method: 'S256',
    });
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('scope')!.split(' ')).toContain('openid');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('onramp_console_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it('sends a plain sign-in without prompt=login, each with its own state and challenge', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => fetch(`${console_.url}/auth/login`, { redirect: 'manual' })));
    const qa = new URL(a!.headers.get('location')!).searchParams;
    const qb = new URL(b!.headers.get('location')!).searchParams;
    expect(qa.has('prompt')).toBe(false);
    expect(qa.get('state')).not.toBe(qb.get('state'));
    expect(qa.get('code_challenge')).not.toBe(qb.get('code_challenge'));
  });

  it('refuses a callback whose state it did not issue, and escapes what the IdP sent', async () => {
    const browser = new CookieBrowser();
    await browser.request(`${console_.url}/auth/login`);
    const wrong = await browser.request(`${console_.url}/auth/callback?code=abc&state=not-mine`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('does not match');

    const res = await browser.request(`${console_.url}/auth/callback?error=access_denied&error_description=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers its JSON endpoints with 401 and an envelope without a session', async () => {
    const res = await fetch(`${console_.url}/app/api/enrollment-tokens`);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ code: 'unauthenticated', correlation_id: expect.any(String) });
    expect(res.headers.get('x-correlation-id')).toBe(body.correlation_id);
  });
});

describe('console signed in', () => {
  it('keeps tokens on the server: the browser holds one opaque cookie', async () => {
    const browser = await signIn();
    const res = await browser.request(`${console_.url}/`);
    const html = await res.text();
    expect(html).toContain('data-testid="shell-role"');
    expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });

  it('shows the error envelope with a correlation id when GET /api/v1/session fails', async () => {
    const browser = await signIn();
    const res = await browser.request(`${console_.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/data-testid="error-banner" data-code="platform_unavailable" data-correlation-id="[0-9a-f-]{36}"/);
    // No role is guessed when the platform cannot say: no mutation controls, no guardrail notice.
    expect(html).toMatch(/data-testid="shell-role">unknown</);
    expect(html).not.toContain('data-testid="tenant-admin-actions"');
    expect(html).toContain('data-testid="shell-user" title="System Admin">System Admin');
  });

  it('passes the platform failure through its JSON endpoints', async () => {
    const browser = await signIn();
    const get = await browser.request(`${console_.url}/app/api/enrollment-tokens`);
    expect(get.status).toBe(502);
    expect(await get.json()).toMatchObject({ code: 'platform_unavailable' });
  });

  it('refuses mutations that are not JSON or come from another origin', async () => {
    const browser = await signIn();
    const form = await browser.request(`${console_.url}/app/api/enrollment-tokens`, { form: { name: 'x' } });
    expect(form.status).toBe(415);
    const cross = await fetch(`${console_.url}/app/api/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    // A DELETE carries no body to type, but the same Origin guard.
    const crossDelete = await fetch(`${console_.url}/app/api/scim-connections/c-1`, { method: 'DELETE', headers: { origin: 'https://evil.example' } });
    expect(crossDelete.status).toBe(403);
    const sameDelete = await browser.request(`${console_.url}/app/api/scim-connections/c-1`, { method: 'DELETE' });
    expect(sameDelete.status).toBe(502);
  });

  it('logs out through end-session with id_token_hint and post_logout_redirect_uri, ending the SSO session', async () => {
    const browser = await signIn();
    const out = await browser.request(`${console_.url}/auth/logout`);
    expect(out.status).toBe(302);
    expect(out.headers.getSetCookie().join()).toMatch(/onramp_console_session=; .*Max-Age=0/);
    const endSession = new URL(out.headers.get('location')!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${idp.url}/realms/sandbox/protocol/openid-connect/logout`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${console_.url}/?signed_out=1`);
    const back = await browser.request(endSession.toString());
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${console_.url}/?signed_out=1`);
    // The SSO session is gone: a new sign-in asks for credentials again.
    const again = await browser.follow(`${console_.url}/auth/login`);
    expect(await again.res.text()).toContain('id="kc-form-login"');
  });

  it('with logout_skips_end_session clears only the console session, so the SSO session signs straight back in', async () => {
    faults.set({ on: ['logout_skips_end_session'] });
    try {
      const browser = await signIn();
      const out = await browser.request(`${console_.url}/auth/logout`);
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(`${console_.url}/?signed_out=1`);
      expect(await (await browser.request(`${console_.url}/`)).text()).toContain('data-testid="sign-in"');
      const again = await browser.follow(`${console_.url}/auth/login`, {}, `${console_.url}/auth/callback`);
      expect(again.url.startsWith(`${console_.url}/auth/callback?`)).toBe(true);
    } finally {
      faults.set({ off: ['logout_skips_end_session'] });
    }
  });
});

describe('console access tokens', () => {
  /** A console context and a session signed in through the real IdP, without the HTTP routes. */
  async function signedInSession() {
    const config = { issuer: `${idp.url}/realms/sandbox`, clientId: 'onramp-console', clientSecret: 'sandbox-console-secret', platformUrl: deadPlatformUrl, faults };
    const ctx: ConsoleContext = { url: console_.url, config, oidc: new ConsoleOidc(config, `${console_.url}/auth/callback`), sessions: new SessionStore(), secure: false };
    const { url, pending } = await ctx.oidc.startLogin(false);
    const browser = new CookieBrowser();
    const page = await browser.request(url.toString());
    const { url: callback } = await browser.follow(formAction(await page.text(), 'kc-form-login'), { form: { username: 'sysadmin', password: 'Sandbox-Admin-2026!' } }, `${console_.url}/auth/callback`);
    const session = ctx.sessions.create();
    session.tokens = await ctx.oidc.finishLogin(new URL(callback), pending);
    return { ctx, session };
  }

  it('uses the access token while it has time left, and refreshes it once when it is near expiry', async () => {
    const { ctx, session } = await signedInSession();
    const first = session.tokens!.accessToken;
    expect(await accessTokenFor(ctx, session)).toBe(first);

    session.tokens!.expiresAt = Date.now() + 5_000;
    const [a, b] = await Promise.all([accessTokenFor(ctx, session), accessTokenFor(ctx, session)]);
    expect(a).not.toBe(first);
    expect(b).toBe(a);
    expect(session.tokens!.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect(session.tokens!.idToken).toBeTruthy();
  });

  it('signs the console session out when the IdP refuses the refresh token', async () => {
    const { ctx, session } = await signedInSession();
    const endSession = await ctx.oidc.endSessionUrl(session.tokens!.idToken!, console_.url);
    expect((await fetch(endSession, { redirect: 'manual' })).status).toBe(302);
    session.tokens!.expiresAt = Date.now() - 1;
    expect(await accessTokenFor(ctx, session)).toBeUndefined();
    expect(session.tokens).toBeUndefined();
  });
});
