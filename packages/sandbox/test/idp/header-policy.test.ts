// Cache-Control, Pragma and Content-Type of every OpenID Connect endpoint, by outcome, driven by the
// one header policy table (src/idp/oidc/header-policy.ts). For every row: the fixture it names (a
// recording in keycloak-reference/, or a file derived from Keycloak's source in
// keycloak-reference-derived/) carries exactly the row's headers and status, so the table is what
// Keycloak sends; and a live request that ends in that outcome gets exactly them from the sandbox,
// including errors and unauthenticated calls. A row without a probe fails the test.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { HEADER_POLICY, type HeaderRule } from '../../src/idp/oidc/header-policy.ts';
import { loadRecording } from '../conformance/recording.ts';
import { requireReference } from '../support/reference.ts';
import { createUserWithPassword } from '../support/users.ts';
import { CookieBrowser, formAction } from '../../../../test/support/cookie-browser.ts';

const DERIVED_DIR = fileURLToPath(new URL('../fixtures/keycloak-reference-derived/', import.meta.url));
const PASSWORD = 'Header-Probe-2026!';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const ADMIN = basic('platform-admin', 'sandbox-admin-secret');
const CALLBACK = 'http://localhost:8081/callback';
const CHALLENGE = createHash('sha256').update('header-probe-verifier-0123456789-0123456789-abcdef').digest('base64url');
let idp: RunningIdp;

const oidc = (path: string) => `${idp.url}/realms/sandbox/protocol/openid-connect/${path}`;
const post = (url: string, body: Record<string, string>, authorization?: string) =>
  fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) }, body: new URLSearchParams(body) });
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers });

async function tokens(form: Record<string, string>): Promise<{ access_token: string; refresh_token?: string }> {
  const res = await post(oidc('token'), form);
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { access_token: string; refresh_token?: string };
}

async function login(scope?: string) {
  const { username } = await createUserWithPassword(idp, PASSWORD, { username: `header-probe-${randomUUID().slice(0, 8)}` });
  return tokens({ grant_type: 'password', client_id: 'admin-cli', username, password: PASSWORD, ...(scope ? { scope } : {}) });
}

const adminToken = async () => (await tokens({ grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'sandbox-admin-secret' })).access_token;

function authUrl(extra: Record<string, string> = {}) {
  return `${oidc('auth')}?${new URLSearchParams({ client_id: 'onramp-console', redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's1', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...extra })}`;
}

/** A request ending in each row's outcome, keyed `endpoint.outcome`. */
const PROBES: Record<string, () => Promise<Response>> = {
  'realm.unknown': () => get(`${idp.url}/realms/nosuchrealm/.well-known/openid-configuration`),
  'discovery.ok': () => get(`${idp.url}/realms/sandbox/.well-known/openid-configuration`),
  'certs.ok': () => get(oidc('certs')),
  'certs.unknownRealm': () => get(`${idp.url}/realms/nosuchrealm/protocol/openid-connect/certs`),
  'token.ok': () => post(oidc('token'), { grant_type: 'client_credentials' }, ADMIN),
  'token.error': () => post(oidc('token'), { grant_type: 'password', client_id: 'admin-cli', username: 'sysadmin', password: 'wrong' }),
  'token.unauthenticated': () => post(oidc('token'), { grant_type: 'client_credentials', client_id: 'no-such-client', client_secret: 'x' }),
  'userinfo.ok': async () => get(oidc('userinfo'), { authorization: `Bearer ${(await login('openid')).access_token}` }),
  'userinfo.unauthenticated': () => get(oidc('userinfo')),
  'userinfo.forbidden': async () => get(oidc('userinfo'), { authorization: `Bearer ${(await login()).access_token}` }),
  'introspection.ok': async () => post(oidc('token/introspect'), { token: await adminToken() }, ADMIN),
  'introspection.error': () => post(oidc('token/introspect'), {}, ADMIN),
  'introspection.unauthenticated': () => post(oidc('token/introspect'), { token: 'x' }, basic('platform-admin', 'wrong')),
  'introspection.forbidden': () => post(oidc('token/introspect'), { client_id: 'admin-cli', token: 'x' }),
  'revocation.ok': async () => post(oidc('revoke'), { token: await adminToken() }, ADMIN),
  'revocation.invalidToken': () => post(oidc('revoke'), { token: 'not-a-token' }, ADMIN),
  'revocation.error': () => post(oidc('revoke'), {}, ADMIN),
  'revocation.unauthenticated': () => post(oidc('revoke'), { token: 'x' }, basic('platform-admin', 'wrong')),
  'logout.redirect': () => get(`${oidc('logout')}?${new URLSearchParams({ client_id: 'onramp-console', post_logout_redirect_uri: CALLBACK })}`),
  'logout.page': () => get(oidc('logout')),
  'logout.error': () => get(`${oidc('logout')}?id_token_hint=not-a-token`),
  'logoutPost.ok': async () => post(oidc('logout'), { client_id: 'admin-cli', refresh_token: (await login()).refresh_token! }),
  'logoutPost.error': async () => post(oidc('logout'), { refresh_token: (await login()).refresh_token! }, ADMIN),
  'logoutPost.unauthenticated': async () => post(oidc('logout'), { refresh_token: (await login()).refresh_token! }),
  'authorization.page': () => get(authUrl()),
  'authorization.redirect': () => get(authUrl({ prompt: 'none' })),
  'authorization.earlyErrorPage': () => get(authUrl({ client_id: 'no-such-client' })),
  'authorization.errorPage': () => get(authUrl({ prompt: 'create' })),
  'authorization.formPost': async () => (await browserLogin({ response_mode: 'form_post' })).res,
  'loginActions.redirect': async () => (await browserLogin({ response_mode: 'fragment' })).res,
  'loginActions.serverError': () =>
    fetch(`${idp.url}/realms/sandbox/login-actions/authenticate?session_code=x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=%E0%A4%A&password=%' }),
};

/** Logs a fresh user in through the login form; the answer to the form's POST, redirects inside the IdP followed. */
async function browserLogin(extra: Record<string, string>) {
  const { username } = await createUserWithPassword(idp, PASSWORD, { username: `header-login-${randomUUID().slice(0, 8)}` });
  const browser = new CookieBrowser();
  const action = formAction(await (await browser.request(authUrl(extra))).text(), 'kc-form-login');
  return browser.follow(action, { form: { username, password: PASSWORD, credentialId: '' } }, 'http://localhost:8081/');
}

const ROWS = Object.entries(HEADER_POLICY).flatMap(([endpoint, outcomes]) =>
  Object.entries(outcomes as Record<string, HeaderRule>).map(([outcome, rule]) => ({ key: `${endpoint}.${outcome}`, rule })),
);

const picked = (h: { get(name: string): string | null | undefined }) => ({
  cacheControl: h.get('cache-control') ?? undefined,
  pragma: h.get('pragma') ?? undefined,
  contentType: h.get('content-type') ?? undefined,
});
const wanted = (r: HeaderRule) => ({ cacheControl: r.cacheControl, pragma: r.pragma, contentType: r.contentType });

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
});

afterAll(async () => {
  await idp?.close();
});

describe('the OIDC header policy', () => {
  it.each(ROWS)('$key: the fixture it names shows these headers', async ({ rule }) => {
    const file = 'recording' in rule.evidence ? join(requireReference(), rule.evidence.recording) : join(DERIVED_DIR, rule.evidence.derived);
    const rec = await loadRecording(file);
    expect(rec.status).toBe(rule.status);
    expect(picked({ get: (n: string) => rec.headers[n] })).toEqual(wanted(rule));
    if ('derived' in rule.evidence) expect(rec.derivedFrom).toBeTruthy();
  });

  it.each(ROWS)('$key: the sandbox sends them', async ({ key, rule }) => {
    const probe = PROBES[key];
    expect(probe, `no probe for ${key}`).toBeDefined();
    const res = await probe!();
    await res.arrayBuffer();
    expect({ status: res.status, ...picked(res.headers) }).toEqual({ status: rule.status, ...wanted(rule) });
  });

  it('probes no outcome the table does not have', () => {
    expect(Object.keys(PROBES).sort()).toEqual(ROWS.map((r) => r.key).sort());
  });
});
