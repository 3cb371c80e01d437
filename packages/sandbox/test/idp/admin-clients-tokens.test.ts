// Realm set-ups made through the real @keycloak/keycloak-admin-client (clients public and
// confidential, fullScopeAllowed off, client and realm roles with composites, scope mappings,
// client attributes), then logins through those clients with openid-client (PKCE S256 and plain,
// a client pinned to S256), and the tokens, userinfo and introspection held to what Keycloak 26
// puts there: roles filtered by the client's scope (TokenManager.getAccess), lightweight access
// tokens without mapped claims, and Keycloak's texts after a session ends.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import KcAdminClient from '@keycloak/keycloak-admin-client';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { createHash } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { CookieBrowser, formAction } from '../../../../test/support/cookie-browser.ts';

const APP = 'http://localhost:9999';
const CALLBACK = `${APP}/callback`;
const SYSADMIN = { grantType: 'password', clientId: 'admin-cli', username: 'sysadmin', password: 'Sandbox-Admin-2026!' } as const;
const USER = { username: 'probe-scoped-user', password: 'Probe-Scoped-2026!' };
const API_SECRET = 'probe-api-secret-0123456789';

let idp: RunningIdp;
let kc: KcAdminClient;
const ids = {} as Record<'spa' | 'plain' | 'api' | 'light' | 'user', string>;

async function discover(clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(`${idp.url}/realms/sandbox`), clientId, secret, secret ? undefined : oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

/** Logs the user in through the login form; returns the callback URL the browser lands on. */
async function login(config: oidc.Configuration, params: Record<string, string>, browser = new CookieBrowser()): Promise<URL> {
  const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', ...params });
  const page = await browser.request(authUrl.toString());
  expect(page.status, await page.clone().text()).toBe(200);
  const action = formAction(await page.text(), 'kc-form-login');
  const { url } = await browser.follow(action, { form: { username: USER.username, password: USER.password, credentialId: '' } }, CALLBACK);
  return new URL(url);
}

async function tokenError(call: Promise<unknown>): Promise<{ error?: string; error_description?: string }> {
  try {
    await call;
  } catch (err) {
    return err as { error?: string; error_description?: string };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE, vars: { ONRAMP_CONSOLE_URL: APP } });
  kc = new KcAdminClient({ baseUrl: idp.url, realmName: 'sandbox' });
  await kc.auth(SYSADMIN);

  // Realm roles: a composite one reaching a child, and one no scope mapping admits.
  await kc.roles.create({ name: 'probe-reader-child' });
  await kc.roles.create({ name: 'probe-reader', description: 'reads' });
  await kc.roles.create({ name: 'probe-unscoped' });
  const reader = await kc.roles.findOneByName({ name: 'probe-reader' });
  const child = await kc.roles.findOneByName({ name: 'probe-reader-child' });
  await kc.roles.createComposite({ roleId: reader!.id! }, [child!]);

  // A public client pinned to S256, a public one taking any method, a confidential one with full scope off.
  ids.spa = (await kc.clients.create({ clientId: 'probe-spa', publicClient: true, redirectUris: [`${APP}/*`], webOrigins: ['+'], attributes: { 'pkce.code.challenge.method': 'S256' } })).id;
  ids.plain = (await kc.clients.create({ clientId: 'probe-plain', publicClient: true, redirectUris: [CALLBACK] })).id;
  ids.api = (await kc.clients.create({ clientId: 'probe-api', secret: API_SECRET, fullScopeAllowed: false, redirectUris: [CALLBACK], directAccessGrantsEnabled: true })).id;
  ids.light = (await kc.clients.create({ clientId: 'probe-light', secret: API_SECRET, directAccessGrantsEnabled: true, redirectUris: [CALLBACK], attributes: { 'client.use.lightweight.access.token.enabled': 'true' } })).id;

  // A client role of probe-api, and probe-api's realm-level scope mapping to probe-reader only.
  await kc.clients.createRole({ id: ids.api, name: 'probe-api-admin' });
  await kc.clients.createRole({ id: ids.spa, name: 'probe-spa-viewer' });
  await kc.clients.addRealmScopeMappings({ id: ids.api }, [reader!]);

  const { id } = await kc.users.create({ username: USER.username, enabled: true, email: 'probe-scoped@example.com', emailVerified: true, firstName: 'Scoped', lastName: 'User', credentials: [{ type: 'password', value: USER.password, temporary: false }] });
  ids.user = id;
  const unscoped = await kc.roles.findOneByName({ name: 'probe-unscoped' });
  await kc.users.addRealmRoleMappings({ id, roles: [{ id: reader!.id!, name: 'probe-reader' }, { id: unscoped!.id!, name: 'probe-unscoped' }] });
  const apiAdmin = await kc.clients.findRole({ id: ids.api, roleName: 'probe-api-admin' });
  const spaViewer = await kc.clients.findRole({ id: ids.spa, roleName: 'probe-spa-viewer' });
  await kc.users.addClientRoleMappings({ id, clientUniqueId: ids.api, roles: [{ id: apiAdmin!.id!, name: 'probe-api-admin' }] });
  await kc.users.addClientRoleMappings({ id, clientUniqueId: ids.spa, roles: [{ id: spaViewer!.id!, name: 'probe-spa-viewer' }] });
});
afterAll(() => idp?.close());

describe('clients, roles and scope mappings made with @keycloak/keycloak-admin-client', () => {
  it('reads the clients back as Keycloak represents them', async () => {
    const api = await kc.clients.findOne({ id: ids.api });
    expect(api).toMatchObject({
      clientId: 'probe-api', publicClient: false, secret: API_SECRET, fullScopeAllowed: false, standardFlowEnabled: true, directAccessGrantsEnabled: true,
      redirectUris: [CALLBACK], protocol: 'openid-connect', nodeReRegistrationTimeout: -1, frontchannelLogout: false,
      defaultClientScopes: expect.arrayContaining(['profile', 'email']),
    });
    expect(api!.attributes).toMatchObject({ realm_client: 'false', 'client.secret.creation.time': expect.any(String) });
    const spa = await kc.clients.findOne({ id: ids.spa });
    expect(spa).toMatchObject({ clientId: 'probe-spa', publicClient: true, webOrigins: ['+'], attributes: { 'pkce.code.challenge.method': 'S256' } });
    expect(spa!.secret).toBeUndefined();
    // A client created without a secret gets a generated one (32 characters).
    expect((await kc.clients.findOne({ id: ids.plain }))!.secret).toBeUndefined();
    const generated = await kc.clients.create({ clientId: 'probe-generated' });
    expect((await kc.clients.getClientSecret({ id: generated.id })).value).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('lists composites, scope mappings, and what is available and in scope', async () => {
    expect((await kc.roles.getCompositeRoles({ id: (await kc.roles.findOneByName({ name: 'probe-reader' }))!.id! })).map((r) => r.name)).toEqual(['probe-reader-child']);
    expect((await kc.roles.findOneByName({ name: 'probe-reader' }))!.composite).toBe(true);
    expect((await kc.clients.listRealmScopeMappings({ id: ids.api })).map((r) => r.name)).toEqual(['probe-reader']);
    const inScope = (await kc.clients.listCompositeRealmScopeMappings({ id: ids.api })).map((r) => r.name);
    expect(inScope).toEqual(['probe-reader', 'probe-reader-child']);
    const available = (await kc.clients.listAvailableRealmScopeMappings({ id: ids.api })).map((r) => r.name);
    expect(available).toContain('probe-unscoped');
    expect(available).not.toContain('probe-reader-child');
    // A full-scope client has every role in scope, so none is available.
    expect(await kc.clients.listAvailableRealmScopeMappings({ id: ids.spa })).toEqual([]);
    const all = await kc.clients.listScopeMappings({ id: ids.api });
    expect(all.realmMappings!.map((r) => r.name)).toEqual(['probe-reader']);
    expect(all.clientMappings).toBeUndefined();
  });

  it('answers Keycloak\'s errors for duplicates and unknown roles', async () => {
    await expect(kc.clients.create({ clientId: 'probe-api' })).rejects.toMatchObject({ response: { status: 409 }, responseData: { errorMessage: 'Client probe-api already exists' } });
    await expect(kc.roles.create({ name: 'probe-reader' })).rejects.toMatchObject({ response: { status: 409 }, responseData: { errorMessage: 'Role with name probe-reader already exists' } });
    await expect(kc.clients.addRealmScopeMappings({ id: ids.api }, [{ id: '00000000-0000-0000-0000-000000000000', name: 'nope' }])).rejects.toMatchObject({ response: { status: 404 }, responseData: { error: 'Role not found' } });
  });
});

describe('logins through the clients made with the admin client', () => {
  it('runs the code flow with PKCE S256 on the pinned public client, with state, session_state, code and iss', async () => {
    const config = await discover('probe-spa');
    const verifier = oidc.randomPKCECodeVerifier();
    const callback = await login(config, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'st-1' });
    expect([...callback.searchParams.keys()]).toEqual(['state', 'session_state', 'code', 'iss']);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'st-1' });
    const access = decodeJwt(tokens.access_token);
    expect(callback.searchParams.get('session_state')).toBe(access.sid);
    // Full scope: every effective role, composites expanded.
    expect((access.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining(['probe-reader', 'probe-reader-child', 'probe-unscoped']));
    expect(access.resource_access).toMatchObject({ 'probe-api': { roles: ['probe-api-admin'] }, 'probe-spa': { roles: ['probe-spa-viewer'] } });
    expect(access).toMatchObject({ azp: 'probe-spa', typ: 'Bearer', preferred_username: USER.username, email: 'probe-scoped@example.com' });
  });

  it('answers response_mode=form_post with Keycloak\'s auto-submitting form (200, text/html)', async () => {
    const config = await discover('probe-spa');
    const verifier = oidc.randomPKCECodeVerifier();
    const browser = new CookieBrowser();
    const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 'fp&"<', response_mode: 'form_post', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const action = formAction(await (await browser.request(authUrl.toString())).text(), 'kc-form-login');
    const { res } = await browser.follow(action, { form: { username: USER.username, password: USER.password, credentialId: '' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store, must-revalidate, max-age=0');
    const html = await res.text();
    expect(html).toMatch(/^<HTML> {2}<HEAD> {4}<TITLE>OIDC Form_Post Response<\/TITLE> {2}<\/HEAD> {2}<BODY Onload="document.forms\[0\].submit\(\)"> {4}<FORM METHOD="POST" ACTION="http:\/\/localhost:9999\/callback">/);
    const inputs = [...html.matchAll(/<INPUT TYPE="HIDDEN" NAME="([^"]+)" VALUE="([^"]*)" \/>/g)].map((m): [string, string] => [m[1]!, m[2]!]);
    // FormPostRedirectUriBuilder keeps its parameters in a HashMap: Java's bucket order.
    expect(inputs.map(([k]) => k)).toEqual(['code', 'iss', 'state', 'session_state']);
    expect(Object.fromEntries(inputs).state).toBe('fp&amp;&quot;&lt;');
    expect(html).toContain('<NOSCRIPT>');
    const params = new URLSearchParams(inputs.map(([k, v]) => [k, v.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&')]));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(`${CALLBACK}?${params}`), { pkceCodeVerifier: verifier, expectedState: 'fp&"<' });
    expect(decodeJwt(tokens.access_token).sid).toBe(params.get('session_state'));
  });

  it('refuses plain on the client pinned to S256, and a method-less challenge, with Keycloak\'s redirect error', async () => {
    const config = await discover('probe-spa');
    const challenge = oidc.randomPKCECodeVerifier();
    for (const extra of [{ code_challenge_method: 'plain' }, {}] as Record<string, string>[]) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', code_challenge: challenge, state: 's', ...extra });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get('location')!);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('error_description')).toBe('Invalid parameter: code challenge method is not configured one');
    }
  });

  it('runs the code flow with PKCE plain where the client allows it, and refuses a wrong or missing verifier with PkceUtils\' texts', async () => {
    const config = await discover('probe-plain');
    const verifier = oidc.randomPKCECodeVerifier();
    const callback = await login(config, { code_challenge: verifier, code_challenge_method: 'plain', state: 'p' });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'p' });
    expect(decodeJwt(tokens.access_token).azp).toBe('probe-plain');

    const token = (form: Record<string, string>) =>
      fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'probe-plain', redirect_uri: CALLBACK, ...form }) });
    const cases: [Record<string, string>, string][] = [
      [{ code_verifier: oidc.randomPKCECodeVerifier() }, 'PKCE verification failed: Code mismatch'],
      [{ code_verifier: 'short' }, 'PKCE verification failed: Invalid code verifier'],
      [{}, 'PKCE code verifier not specified'],
    ];
    for (const [form, text] of cases) {
      const again = await login(config, { code_challenge: verifier, code_challenge_method: 'plain', state: 'p' });
      const res = await token({ code: again.searchParams.get('code')!, ...form });
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
      expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: text });
    }
    // A verifier for a code that had no challenge.
    const bare = await login(config, { state: 'n' });
    const res = await token({ code: bare.searchParams.get('code')!, code_verifier: verifier });
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'PKCE code verifier specified but challenge not present in authorization' });
  });

  it('puts only the roles in the confidential client\'s scope into its tokens (fullScopeAllowed off)', async () => {
    const config = await discover('probe-api', API_SECRET);
    const verifier = oidc.randomPKCECodeVerifier();
    const callback = await login(config, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier });
    const access = decodeJwt(tokens.access_token);
    // The scope mapping admits probe-reader and, through it, its composite child; the client's own roles are always in scope.
    expect((access.realm_access as { roles: string[] }).roles.sort()).toEqual(['probe-reader', 'probe-reader-child']);
    expect(access.resource_access).toEqual({ 'probe-api': { roles: ['probe-api-admin'] } });
    // The token's audience does not name probe-api itself (its own roles add no audience), so its
    // own client's introspection is inactive, as Keycloak answers outside the audience.
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });

    // Adding probe-unscoped to the scope takes effect on the next token.
    const unscoped = await kc.roles.findOneByName({ name: 'probe-unscoped' });
    await kc.clients.addRealmScopeMappings({ id: ids.api }, [unscoped!]);
    const refreshed = decodeJwt((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token);
    expect((refreshed.realm_access as { roles: string[] }).roles).toContain('probe-unscoped');
    await kc.clients.delRealmScopeMappings({ id: ids.api }, [unscoped!]);
  });

  it('issues lightweight access tokens without mapped claims, refused at userinfo', async () => {
    const config = await discover('probe-light', API_SECRET);
    const tokens = await oidc.genericGrantRequest(config, 'password', { username: USER.username, password: USER.password, scope: 'openid' });
    const access = decodeJwt(tokens.access_token);
    for (const claim of ['preferred_username', 'email', 'realm_access', 'resource_access', 'name']) expect(access).not.toHaveProperty(claim);
    expect(access).toMatchObject({ typ: 'Bearer', azp: 'probe-light', sub: ids.user });
    const info = await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain('error_description="Lightweight access token not allowed for userinfo endpoint"');
    // Its own client is outside its audience (no mapper adds one to a lightweight token): inactive,
    // as keycloak-reference/oidc/introspection/active-access-token.http records for that case.
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
  });

  it('turns a client\'s lightweight attribute off with PUT, and takes later tokens back to full', async () => {
    await kc.clients.update({ id: ids.light }, { attributes: { 'client.use.lightweight.access.token.enabled': 'false' } });
    const config = await discover('probe-light', API_SECRET);
    const tokens = await oidc.genericGrantRequest(config, 'password', { username: USER.username, password: USER.password, scope: 'openid' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ preferred_username: USER.username });
    await kc.clients.update({ id: ids.light }, { attributes: { 'client.use.lightweight.access.token.enabled': 'true' } });
  });
});

describe('tokens after their session ended', () => {
  const passwordTokens = async (config: oidc.Configuration) => oidc.genericGrantRequest(config, 'password', { username: USER.username, password: USER.password, scope: 'openid' });

  it('refresh is "Session not active", introspection inactive, userinfo refused, after an admin logout', async () => {
    const config = await discover('probe-api', API_SECRET);
    const tokens = await passwordTokens(config);
    await kc.users.logout({ id: ids.user });
    expect(await tokenError(oidc.refreshTokenGrant(config, tokens.refresh_token!))).toMatchObject({ error: 'invalid_grant', error_description: 'Session not active' });
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toEqual({ active: false });
    const info = await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain(`error_description="User session not found or doesn't have client attached on it"`);
    expect(info.headers.get('cache-control')).toBe('no-store');
  });

  it('refresh is "Session not active" after the refresh token was revoked, and after an RP logout', async () => {
    const config = await discover('probe-api', API_SECRET);
    const tokens = await passwordTokens(config);
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect(await tokenError(oidc.refreshTokenGrant(config, tokens.refresh_token!))).toMatchObject({ error: 'invalid_grant', error_description: 'Session not active' });

    const again = await passwordTokens(config);
    const out = await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/logout`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`probe-api:${API_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ refresh_token: again.refresh_token! }),
    });
    expect(out.status).toBe(204);
    expect(await tokenError(oidc.refreshTokenGrant(config, again.refresh_token!))).toMatchObject({ error: 'invalid_grant', error_description: 'Session not active' });
  });

  it('refuses another client\'s refresh token with Keycloak\'s client-mismatch text', async () => {
    const api = await discover('probe-api', API_SECRET);
    const tokens = await passwordTokens(api);
    const light = await discover('probe-light', API_SECRET);
    expect(await tokenError(oidc.refreshTokenGrant(light, tokens.refresh_token!))).toMatchObject({
      error: 'invalid_grant',
      error_description: "Invalid refresh token. Token client and authorized client don't match",
    });
  });
});

describe('clients, roles and composites changed and removed', () => {
  it('renames a role everywhere it is referenced, and deletes a client with its roles and mappings', async () => {
    const { id } = await kc.clients.create({ clientId: 'probe-temp', publicClient: true, redirectUris: [CALLBACK] });
    await kc.clients.createRole({ id, name: 'temp-role' });
    const role = await kc.clients.findRole({ id, roleName: 'temp-role' });
    await kc.users.addClientRoleMappings({ id: ids.user, clientUniqueId: id, roles: [{ id: role!.id!, name: 'temp-role' }] });
    await kc.clients.updateRole({ id, roleName: 'temp-role' }, { name: 'temp-renamed', description: 'renamed' });
    expect((await kc.users.listClientRoleMappings({ id: ids.user, clientUniqueId: id })).map((r) => r.name)).toEqual(['temp-renamed']);
    await kc.clients.update({ id }, { clientId: 'probe-temp-2', redirectUris: [CALLBACK, `${APP}/other`] });
    expect((await kc.clients.findOne({ id }))!.redirectUris).toEqual([CALLBACK, `${APP}/other`]);
    expect(Object.keys((await kc.users.listRoleMappings({ id: ids.user })).clientMappings ?? {})).toContain('probe-temp-2');
    await kc.clients.del({ id });
    await expect(kc.clients.findOne({ id })).resolves.toBeNull();
    expect(Object.keys((await kc.users.listRoleMappings({ id: ids.user })).clientMappings ?? {})).not.toContain('probe-temp-2');
  });

  it('removes a composite and deletes a realm role', async () => {
    const reader = await kc.roles.findOneByName({ name: 'probe-reader' });
    const child = await kc.roles.findOneByName({ name: 'probe-reader-child' });
    await kc.roles.create({ name: 'probe-doomed' });
    const doomed = await kc.roles.findOneByName({ name: 'probe-doomed' });
    await kc.roles.createComposite({ roleId: reader!.id! }, [doomed!]);
    expect((await kc.roles.getCompositeRoles({ id: reader!.id! })).map((r) => r.name)).toEqual(['probe-doomed', 'probe-reader-child']);
    await kc.roles.delById({ id: doomed!.id! });
    expect((await kc.roles.getCompositeRoles({ id: reader!.id! })).map((r) => r.name)).toEqual(['probe-reader-child']);
    await kc.roles.delCompositeRoles({ id: reader!.id! }, [child!]);
    expect((await kc.roles.findOneByName({ name: 'probe-reader' }))!.composite).toBe(false);
    await kc.roles.createComposite({ roleId: reader!.id! }, [child!]);
  });
});

describe('PKCE helper', () => {
  it('hashes as RFC 7636 S256', () => {
    expect(createHash('sha256').update('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk').digest('base64url')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
