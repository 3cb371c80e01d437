// A real OpenID Connect client library (openid-client) against the sandbox IdP: discovery, the
// authorization code flow with PKCE, refresh, userinfo, introspection, revocation, RP-initiated
// logout, and the POST logout with a refresh token that server-side adapters make.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { CookieBrowser, formAction } from '../../../../test/support/cookie-browser.ts';

const CALLBACK = 'http://localhost:9999/callback';
let idp: RunningIdp;
let config: oidc.Configuration;

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE, vars: { ONRAMP_CONSOLE_URL: 'http://localhost:9999' } });
  config = await oidc.discovery(new URL(`${idp.url}/realms/sandbox`), 'onramp-console', 'sandbox-console-secret', undefined, {
    execute: [oidc.allowInsecureRequests],
  });
});
afterAll(() => idp?.close());

async function codeFlowLogin(browser: CookieBrowser, username: string, password: string, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra,
  });
  const page = await browser.request(authUrl.toString());
  expect(page.status).toBe(200);
  const action = formAction(await page.text(), 'kc-form-login');
  const { url } = await browser.follow(action, { form: { username, password, credentialId: '' } }, CALLBACK);
  expect(url.startsWith(CALLBACK)).toBe(true);
  return oidc.authorizationCodeGrant(config, new URL(url), { pkceCodeVerifier: verifier, expectedState: state });
}

describe('openid-client against the sandbox IdP', () => {
  it('discovers Keycloak endpoints under /realms/{realm}/protocol/openid-connect', () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(`${idp.url}/realms/sandbox`);
    expect(meta.token_endpoint).toBe(`${idp.url}/realms/sandbox/protocol/openid-connect/token`);
    expect(meta.jwks_uri).toBe(`${idp.url}/realms/sandbox/protocol/openid-connect/certs`);
    expect(meta.end_session_endpoint).toBe(`${idp.url}/realms/sandbox/protocol/openid-connect/logout`);
  });

  it('runs the code flow with PKCE, refreshes, reads userinfo and logs out through end-session', async () => {
    const browser = new CookieBrowser();
    const tokens = await codeFlowLogin(browser, 'sysadmin', 'Sandbox-Admin-2026!');
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ typ: 'Bearer', azp: 'onramp-console', preferred_username: 'sysadmin', scope: 'email openid profile' });
    expect(access.realm_access).toEqual({ roles: expect.arrayContaining(['system_admin', 'default-roles-sandbox']) });
    const id = tokens.claims()!;
    expect(id).toMatchObject({ typ: 'ID', azp: 'onramp-console', preferred_username: 'sysadmin', email: 'sysadmin@sandbox.onramp.test' });
    expect(id.sid).toBe(access.sid);
    expect(decodeJwt(tokens.refresh_token!)).toMatchObject({ typ: 'Refresh', azp: 'onramp-console', sid: access.sid });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(decodeJwt(refreshed.access_token).sub).toBe(access.sub);

    const info = await oidc.fetchUserInfo(config, refreshed.access_token, access.sub!);
    expect(info).toMatchObject({ preferred_username: 'sysadmin', email: 'sysadmin@sandbox.onramp.test', platform_role: 'system_admin' });

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CALLBACK, state: 'bye' });
    const out = await browser.request(logoutUrl.toString());
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(`${CALLBACK}?state=bye`);

    // The session is gone: its refresh token and its access token's userinfo are refused.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, access.sub!)).rejects.toThrow();
  });

  it('refuses a code redeemed twice with Keycloak\'s "Code not valid"', async () => {
    const browser = new CookieBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's1',
    });
    const page = await browser.request(authUrl.toString());
    const { url } = await browser.follow(formAction(await page.text(), 'kc-form-login'), { form: { username: 'sysadmin', password: 'Sandbox-Admin-2026!' } }, CALLBACK);
    const code = new URL(url).searchParams.get('code')!;
    const redeem = () =>
      fetch(config.serverMetadata().token_endpoint!, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'onramp-console', client_secret: 'sandbox-console-secret' }),
      });
    expect((await redeem()).status).toBe(200);
    const second = await redeem();
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({ error: 'invalid_grant', error_description: 'Code not valid' });
  });

  it('asks for confirmation at end-session without an id_token_hint while a session lives, then ends it', async () => {
    const browser = new CookieBrowser();
    const tokens = await codeFlowLogin(browser, 'sysadmin', 'Sandbox-Admin-2026!');
    const logoutUrl = `${config.serverMetadata().end_session_endpoint}?${new URLSearchParams({ client_id: 'onramp-console', post_logout_redirect_uri: CALLBACK, state: 'c' })}`;
    const page = await browser.request(logoutUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="kc-logout"');
    const sessionCode = /name="session_code" value="([^"]+)"/.exec(html)?.[1];
    expect(sessionCode).toBeTruthy();
    // The session still lives until the user confirms.
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();
    const action = /<div id="kc-logout-confirm"[\s\S]*?<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const confirmed = await browser.request(action!.replace(/&amp;/g, '&'), { form: { session_code: sessionCode!, confirmLogout: 'Logout' } });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('location')).toBe(`${CALLBACK}?state=c`);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspects its own tokens as Keycloak does: the refresh token active, the access token only for clients in its audience', async () => {
    const tokens = await codeFlowLogin(new CookieBrowser(), 'sysadmin', 'Sandbox-Admin-2026!');
    const refresh = await oidc.tokenIntrospection(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect(refresh).toMatchObject({ active: true, typ: 'Refresh', token_type: 'Refresh', client_id: 'onramp-console', username: 'sysadmin', azp: 'onramp-console' });
    expect(refresh.sid).toBe(decodeJwt(tokens.access_token).sid);
    // The console is not in its own access token's audience, and Keycloak answers such a caller inactive.
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, 'not-a-token')).toEqual({ active: false });
  });

  it('revokes a refresh token: the session behind it ends, its tokens stop working', async () => {
    const tokens = await codeFlowLogin(new CookieBrowser(), 'sysadmin', 'Sandbox-Admin-2026!');
    const sub = decodeJwt(tokens.access_token).sub!;
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' })).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, sub)).rejects.toThrow();
  });

  it('revokes an access token alone: userinfo refuses it, the refresh token still works', async () => {
    const tokens = await codeFlowLogin(new CookieBrowser(), 'sysadmin', 'Sandbox-Admin-2026!');
    const sub = decodeJwt(tokens.access_token).sub!;
    expect(await oidc.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({ preferred_username: 'sysadmin' });
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, sub)).rejects.toThrow();
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  it('logs out by POST with client credentials and a refresh token (204), with Keycloak\'s JSON errors otherwise', async () => {
    const tokens = await codeFlowLogin(new CookieBrowser(), 'sysadmin', 'Sandbox-Admin-2026!');
    const logout = (form: Record<string, string>) => fetch(config.serverMetadata().end_session_endpoint!, { method: 'POST', body: new URLSearchParams(form) });
    const wrong = await logout({ client_id: 'onramp-console', client_secret: 'wrong', refresh_token: tokens.refresh_token! });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }]);
    const garbage = await logout({ client_id: 'onramp-console', client_secret: 'sandbox-console-secret', refresh_token: 'not-a-jwt' });
    expect([garbage.status, await garbage.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }]);
    const ok = await logout({ client_id: 'onramp-console', client_secret: 'sandbox-console-secret', refresh_token: tokens.refresh_token! });
    expect([ok.status, await ok.text()]).toEqual([204, '']);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const again = await logout({ client_id: 'onramp-console', client_secret: 'sandbox-console-secret', refresh_token: tokens.refresh_token! });
    expect([again.status, await again.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'Session not active' }]);
  });
});
