// Recorded Keycloak 26.7.1 OpenID Connect responses (keycloak-reference/oidc/) replayed against the
// sandbox IdP. The recordings hold only the request line, so each scenario rebuilds the request
// its name describes. Recorded realms "master" and "gloak-probe-login" are our "sandbox"; the
// recorded client's redirect URI http://localhost:9999/callback is the console client's here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, createHash, randomBytes } from 'node:crypto';
import { startIdp, type RunningIdp } from '../../src/sandbox/idp/start.ts';
import { compareResponse, loadRecording, type ActualResponse, type CompareOptions } from '../conformance/recording.ts';
import { CookieBrowser, formAction } from '../support/cookie-browser.ts';
import { requireReference } from '../support/reference.ts';
import { createUserWithPassword } from '../support/users.ts';

const APP = 'http://localhost:9999';
const CALLBACK = `${APP}/callback`;
const OIDC_DIR = join(requireReference(), 'oidc');
let idp: RunningIdp;
let base: string;
let dir: string;

/** The sandbox realm with the recordings' realm lifetimes (Keycloak's master realm: 60 s access tokens). */
async function recordingRealmFile(): Promise<string> {
  const realm = JSON.parse(await readFile('deploy/keycloak/realm-sandbox.json', 'utf8'));
  realm.accessTokenLifespan = 60;
  dir = await mkdtemp(join(tmpdir(), 'onramp-oidc-conformance-'));
  await writeFile(join(dir, 'realm.json'), JSON.stringify(realm));
  return join(dir, 'realm.json');
}

beforeAll(async () => {
  idp = await startIdp({ realmFile: await recordingRealmFile(), vars: { ONRAMP_CONSOLE_URL: APP } });
  base = `${idp.url}/realms/sandbox`;
});
afterAll(async () => {
  await idp?.close();
  await rm(dir, { recursive: true, force: true });
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authUrl(extra: Record<string, string> = {}, challenge = pkce().challenge) {
  return `${base}/protocol/openid-connect/auth?${new URLSearchParams({
    client_id: 'onramp-console', redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'xyz123',
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  })}`;
}

async function asActual(res: Response): Promise<ActualResponse> {
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const token = (form: Record<string, string>) =>
  fetch(`${base}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });

const sysadmin = { username: 'sysadmin', password: 'Sandbox-Admin-2026!' };

async function makeUser(o: { enabled?: boolean; requiredActions?: string[] } = {}) {
  const { username, password } = await createUserWithPassword(idp, 'Probe-Passw0rd!', o);
  return { username, password };
}

/** Logs in through the form; returns the browser, the code and the PKCE verifier. */
async function login(user = sysadmin, extra: Record<string, string> = {}) {
  const browser = new CookieBrowser();
  const { verifier, challenge } = pkce();
  const page = await browser.request(authUrl(extra, challenge));
  const action = formAction(await page.text(), 'kc-form-login');
  const { url } = await browser.follow(action, { form: { ...user, credentialId: '' } }, APP);
  return { browser, code: new URL(url).searchParams.get('code')!, verifier, action };
}

async function codeTokens(user = sysadmin) {
  const { code, verifier, browser } = await login(user);
  const res = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'onramp-console', client_secret: 'sandbox-console-secret' });
  return { res, browser, code, verifier };
}

const UNSUPPORTED_FEATURES = [
  'frontchannel_logout_session_supported', 'frontchannel_logout_supported', 'claims_parameter_supported', 'request_parameter_supported',
  'request_uri_parameter_supported', 'tls_client_certificate_bound_access_tokens', 'backchannel_logout_supported', 'backchannel_logout_session_supported',
];

type Scenario = { file: string; run: () => Promise<ActualResponse>; options?: CompareOptions };

const SUBS = { master: 'sandbox', 'gloak-probe-login': 'sandbox' };

const SCENARIOS: Scenario[] = [
  {
    file: 'discovery/master.http',
    run: async () => {
      const actual = await asActual(await fetch(`${base}/.well-known/openid-configuration`));
      const doc = JSON.parse(actual.body);
      // Features the sandbox does not implement are advertised as false, where Keycloak says true.
      for (const key of UNSUPPORTED_FEATURES) {
        expect(doc[key], key).toBe(false);
        doc[key] = true;
      }
      return { ...actual, body: JSON.stringify(doc) };
    },
    options: { arrays: { mode: 'shape' } },
  },
  { file: 'discovery/unknown-realm.http', run: async () => asActual(await fetch(`${idp.url}/realms/nosuchrealm/.well-known/openid-configuration`)) },
  { file: 'certs/master.http', run: async () => asActual(await fetch(`${base}/protocol/openid-connect/certs`)) },

  { file: 'token/password-grant-admin-cli.http', run: async () => asActual(await token({ grant_type: 'password', client_id: 'admin-cli', ...sysadmin })) },
  { file: 'token/client-credentials-grant.http', run: async () => asActual(await token({ grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'sandbox-admin-secret' })) },
  { file: 'token/authorization-code-grant.http', run: async () => asActual((await codeTokens()).res) },
  {
    file: 'token/refresh-token-grant.http',
    run: async () => {
      const first = (await (await token({ grant_type: 'password', client_id: 'admin-cli', ...sysadmin })).json()) as { refresh_token: string };
      return asActual(await token({ grant_type: 'refresh_token', client_id: 'admin-cli', refresh_token: first.refresh_token }));
    },
  },
  { file: 'token/wrong-password.http', run: async () => asActual(await token({ grant_type: 'password', client_id: 'admin-cli', username: 'sysadmin', password: 'wrong' })) },
  { file: 'token/wrong-client-secret.http', run: async () => asActual(await token({ grant_type: 'client_credentials', client_id: 'platform-admin', client_secret: 'wrong' })) },
  { file: 'token/unknown-client.http', run: async () => asActual(await token({ grant_type: 'client_credentials', client_id: 'no-such-client', client_secret: 'x' })) },
  { file: 'token/disabled-user.http', run: async () => asActual(await token({ grant_type: 'password', client_id: 'admin-cli', ...(await makeUser({ enabled: false })) })) },
  { file: 'token/required-action-pending.http', run: async () => asActual(await token({ grant_type: 'password', client_id: 'admin-cli', ...(await makeUser({ requiredActions: ['UPDATE_PASSWORD'] })) })) },
  { file: 'token/missing-grant-type.http', run: async () => asActual(await token({ client_id: 'admin-cli', username: 'sysadmin', password: 'x' })) },
  {
    file: 'token/replayed-code.http',
    run: async () => {
      const { code, verifier } = await login();
      const form = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'onramp-console', client_secret: 'sandbox-console-secret' };
      await token(form);
      return asActual(await token(form));
    },
  },

  { file: 'authorization/login-page.http', run: async () => asActual(await new CookieBrowser().request(authUrl())), options: { substitutions: SUBS, htmlTexts: ['kc-form-login', 'Sign in to your account', 'kc-login', 'Username or email'] } },
  {
    file: 'authorization/required-action-redirect.http',
    run: async () => {
      const browser = new CookieBrowser();
      const action = formAction(await (await browser.request(authUrl())).text(), 'kc-form-login');
      return asActual(await browser.request(action, { form: await makeUser({ requiredActions: ['UPDATE_PASSWORD'] }) }));
    },
  },
  {
    file: 'authorization/sso-redirect.http',
    run: async () => {
      const { browser } = await login();
      return asActual(await browser.request(authUrl()));
    },
  },
  { file: 'authorization/invalid-redirect-uri.http', run: async () => asActual(await fetch(authUrl({ redirect_uri: 'http://evil.example/cb' }))), options: { htmlTexts: ['Invalid parameter: redirect_uri', 'We are sorry...'] } },
  { file: 'authorization/unknown-client-id.http', run: async () => asActual(await fetch(authUrl({ client_id: 'no-such-client' }))), options: { htmlTexts: ['Client not found.', 'We are sorry...'] } },
  { file: 'authorization/prompt-none-no-session.http', run: async () => asActual(await fetch(authUrl({ prompt: 'none' }), { redirect: 'manual' })), options: { substitutions: SUBS } },
  {
    file: 'authorization/replayed-session-code.http',
    run: async () => {
      const { browser, action } = await login();
      return asActual(await browser.request(action, { form: sysadmin }));
    },
    options: { substitutions: SUBS },
  },
  {
    file: 'authorization/session-code-wrong-execution.http',
    run: async () => {
      const browser = new CookieBrowser();
      const action = new URL(formAction(await (await browser.request(authUrl())).text(), 'kc-form-login'));
      action.searchParams.set('execution', randomUUID());
      return asActual(await browser.request(action.toString()));
    },
    options: { htmlTexts: ['Page has expired', 'loginRestartLink', 'loginContinueLink'] },
  },
  {
    file: 'authorization/login-actions-restart-cookie-missing.http',
    run: async () => asActual(await fetch(`${base}/login-actions/authenticate?session_code=x&execution=y&client_id=onramp-console&tab_id=z`)),
    options: { htmlTexts: ['Restart login cookie not found.'] },
  },
  {
    file: 'authorization/login-actions-invalid-client-data.http',
    run: async () => asActual(await fetch(`${base}/login-actions/authenticate?session_code=x&execution=y&client_id=onramp-console&tab_id=z&client_data=%%%not-base64`)),
    options: { htmlTexts: ['Invalid Request'] },
  },
  {
    file: 'authorization/login-actions-unparseable-body.http',
    run: async () => asActual(await fetch(`${base}/login-actions/authenticate?session_code=x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=%E0%A4%A&password=%' })),
  },
  {
    file: 'authorization/required-action-invalid-client-data.http',
    run: async () => asActual(await fetch(`${base}/login-actions/required-action?execution=UPDATE_PASSWORD&client_id=onramp-console&tab_id=z&client_data=!!`)),
    options: { htmlTexts: ['Invalid Request'] },
  },

  {
    file: 'logout/rp-initiated-with-id-token-hint.http',
    run: async () => {
      const { res, browser } = await codeTokens();
      const { id_token } = (await res.json()) as { id_token: string };
      return asActual(await browser.request(`${base}/protocol/openid-connect/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: CALLBACK, state: 'xyz123' })}`));
    },
  },
  { file: 'logout/rp-initiated-without-id-token-hint.http', run: async () => asActual(await fetch(`${base}/protocol/openid-connect/logout?${new URLSearchParams({ client_id: 'onramp-console', post_logout_redirect_uri: CALLBACK, state: 'xyz123' })}`, { redirect: 'manual' })) },
  { file: 'logout/invalid-id-token-hint.http', run: async () => asActual(await fetch(`${base}/protocol/openid-connect/logout?id_token_hint=not.a.token&post_logout_redirect_uri=${encodeURIComponent(CALLBACK)}`)), options: { htmlTexts: ['Invalid parameter: id_token_hint'] } },
  { file: 'logout/invalid-post-logout-redirect-uri.http', run: async () => asActual(await fetch(`${base}/protocol/openid-connect/logout?client_id=onramp-console&post_logout_redirect_uri=${encodeURIComponent('http://evil.example/')}`)), options: { htmlTexts: ['Invalid redirect uri'] } },
  { file: 'logout/post-logout-uri-defaults-to-redirect-uris.http', run: async () => asActual(await fetch(`${base}/protocol/openid-connect/logout?client_id=onramp-console&post_logout_redirect_uri=${encodeURIComponent(CALLBACK)}`, { redirect: 'manual' })) },
  {
    file: 'logout/spent-id-token-hint.http',
    run: async () => {
      const { res } = await codeTokens();
      const { id_token } = (await res.json()) as { id_token: string };
      const url = (state: string) => `${base}/protocol/openid-connect/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: CALLBACK, state })}`;
      await fetch(url('first'), { redirect: 'manual' });
      return asActual(await fetch(url('again'), { redirect: 'manual' }));
    },
  },
];

/** Recordings deliberately not replayed, with the reason. */
const NOT_COVERED: Record<string, string> = Object.fromEntries(
  [
    'authorization/implicit-flow.http', 'authorization/login-actions-unknown-client.http', 'authorization/max-age-invalid.http',
    'authorization/pkce-missing-challenge.http', 'authorization/prompt-create.http', 'authorization/redirect-form-content-type.http',
    'authorization/response-mode-fragment.http', 'authorization/second-realm-error-page.http', 'authorization/second-realm-error-redirect.http',
    'authorization/unsupported-scope.http', 'discovery/second-realm.http', 'introspection/access-token-outside-audience.http',
    'introspection/active-access-token.http', 'introspection/active-refresh-token.http', 'introspection/scope-filtered-access-token.http',
    'logout/post-client-mismatch.http', 'logout/post-missing-client.http', 'logout/post-refresh-token.http', 'logout/redirect-json-content-type.http',
    'logout/unknown-realm.http', 'revocation/access-token.http', 'revocation/refresh-token.http', 'revocation/unknown-token.http',
    'revocation/wrong-client.http', 'token/duplicated-parameter.http', 'userinfo/lightweight-token.http', 'userinfo/missing-authorization-header.http',
    'userinfo/second-realm.http', 'userinfo/token-without-openid-scope.http',
  ].map((f) => [f, 'additional recording, not replayed yet (issue 12)']),
);

describe('OIDC responses match the Keycloak 26.7.1 recordings', () => {
  it.each(SCENARIOS.map((s) => [s.file, s] as const))('%s', async (_file, s) => {
    const rec = await loadRecording(join(OIDC_DIR, s.file));
    // The recorded realm names appear inside URLs, where whole-value substitution cannot reach.
    const ours = (v: string) => v.replaceAll('{{issuer}}%2F', `${encodeURIComponent(idp.url)}%2F`).replace(/\/realms\/(master|gloak-probe-login)\b/g, '/realms/sandbox').replace(/%2Frealms%2F(master|gloak-probe-login)\b/g, '%2Frealms%2Fsandbox');
    rec.body = ours(rec.body).replaceAll('"{{issuer}}/', `"${idp.url}/`);
    for (const k of Object.keys(rec.headers)) rec.headers[k] = ours(rec.headers[k]!);
    const actual = await s.run();
    const problems = compareResponse(rec, actual, { issuer: idp.url, substitutions: SUBS, ...s.options });
    expect(problems, `${s.file}: ${problems.join(" | ")}`).toEqual([]);
  });

  it('covers every recorded OIDC scenario, or says why not', async () => {
    const files = (await readdir(OIDC_DIR, { recursive: true })).filter((f) => f.endsWith('.http')).sort();
    const covered = new Set(SCENARIOS.map((s) => s.file));
    expect(files.filter((f) => !covered.has(f) && !(f in NOT_COVERED))).toEqual([]);
    expect(SCENARIOS.map((s) => s.file).filter((f) => !files.includes(f))).toEqual([]);
  });
});
