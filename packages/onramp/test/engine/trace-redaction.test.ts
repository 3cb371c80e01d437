// The trace redaction on a trace shaped like Playwright's (action log, network log, stacks,
// resources), each secret planted where a real run puts it and in the spelling it takes there: no
// spelling of any of them is left in any entry, what is no secret is kept, binary resources are
// dropped with every reference to them, and every line of the logs still parses.
import { describe, expect, it } from 'vitest';
import { redactTraceEntries } from '../../src/engine/browser/redact-trace.ts';
import type { ZipEntry } from '../../src/engine/browser/zip.ts';
import { spellingsOf, type SecretValue } from '../support/trace-scan.ts';

const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`;

// Known to the run (passed to the redaction): the journey's passwords, the target's client secret, an enrollment secret it kept.
const SYSADMIN = 'Sandbox-Admin-2026!';
const NEW_PASSWORD = 'Nw"q\\Z9x/+&k 4#k';
const CLIENT_SECRET = 'sandbox-canary-secret';
const ENROLLMENT = 'oet_Qm9vZ2xlLXNlY3JldC12YWx1ZS0xMjM0NTY3ODkw';
// Found by field name only: the run never knew them.
const SESSION = 'wZEG3AxzUFWqlB3GT4VVw8QZrFs6Ol6ffh0pK4G3ELU';
const KC_SESSION = 'Xz97NkqcK_p5XPb3jgvqSGo7Jf8WDSJMse6GNOlQklK';
const ACCESS = jwt({ sub: 'u1', typ: 'Bearer' });
const ID_TOKEN = jwt({ sub: 'u1', typ: 'ID' });
const REFRESH = 'rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const CODE = 'c0de-4b1c-9d2e-8f7a6b5c4d3e';
const TYPED = 'Typed-Only-Passw0rd!';
const OTHER_ENROLLMENT = 'oet_c2Vjb25kLXNlY3JldC1ub3Qta25vd24tMTIzNDU';

const line = (o: object) => JSON.stringify(o);
const entry = (name: string, data: string | Buffer): ZipEntry => ({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8') });
const header = (name: string, value: string) => ({ name, value });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function resource(url: string, o: { method?: string; reqHeaders?: object[]; resHeaders?: object[]; post?: { mimeType: string; _file: string }; body?: { mimeType: string; _file?: string }; redirectURL?: string; cookies?: object[] }) {
  return line({
    type: 'resource-snapshot',
    snapshot: {
      request: { method: o.method ?? 'GET', url, headers: o.reqHeaders ?? [], cookies: o.cookies ?? [], queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })), postData: o.post },
      response: { status: 200, headers: o.resHeaders ?? [], cookies: [], content: o.body ?? { mimeType: 'x-unknown', size: 0 }, redirectURL: o.redirectURL ?? '' },
    },
  });
}

const traceEntries = (): ZipEntry[] => [
  entry(
    'trace.trace',
    [
      line({ type: 'context-options', title: 'create an enrollment token', options: { httpCredentials: { username: 'client', password: CLIENT_SECRET } } }),
      line({ type: 'before', callId: 'c1', method: 'fill', params: { selector: '#password', value: SYSADMIN } }),
      line({ type: 'before', callId: 'c2', method: 'fill', params: { selector: '#password-new', value: TYPED } }),
      line({ type: 'before', callId: 'c3', method: 'fill', params: { selector: '#username', value: 'onramp-syn-admin' } }),
      line({ type: 'before', callId: 'c4', method: 'fill', params: { selector: '[data-testid="enrollment-token-name"]', value: 'onramp-syn-admin-agent' } }),
      line({ type: 'console', text: 'Basic settings saved; Bearer authentication required; state=settings-tab' }),
      line({ type: 'log', callId: 'c2', message: `  fill("${NEW_PASSWORD}")` }),
      line({ type: 'console', text: `GET /api with Authorization: Bearer ${ACCESS}` }),
      line({ type: 'frame-snapshot', snapshot: { frameUrl: `http://console/#settings`, html: ['BODY', {}, ['INPUT', { type: 'password', __playwright_value_: 'Unknown-Typed-Pw-77' }], ['CODE', { 'data-testid': 'enrollment-token-secret' }, ENROLLMENT], ['P', {}, `session ${SESSION}`]], resourceOverrides: [{ url: 'http://console/logo.png', sha1: 'logo.png' }, { url: 'http://console/app.css', sha1: 'app.css' }] } }),
      line({ type: 'screencast-frame', sha1: 'frame.jpeg', width: 10, height: 10 }),
    ].join('\n') + '\n',
  ),
  entry(
    'trace.network',
    [
      resource(`http://idp/realms/sandbox/protocol/openid-connect/auth?client_id=onramp-console&state=st8te-value-123456&code_challenge=ch4llenge-value-abc&redirect_uri=http%3A%2F%2Fconsole%2Fcb`, { reqHeaders: [header('Cookie', `AUTH_SESSION_ID=${KC_SESSION}; onramp_console_session=${SESSION}`)] }),
      resource(`http://console/auth/callback?state=st8te-value-123456&session_state=s3ssion-state-abcdef&code=${CODE}`, { resHeaders: [header('Set-Cookie', `onramp_console_session=${SESSION}; Path=/; HttpOnly`), header('Location', '/')] }),
      resource('http://idp/realms/sandbox/login-actions/authenticate', { method: 'POST', post: { mimeType: 'application/x-www-form-urlencoded', _file: 'resources/login.dat' }, cookies: [{ name: 'KEYCLOAK_IDENTITY', value: KC_SESSION }] }),
      resource('http://idp/realms/sandbox/protocol/openid-connect/token', { method: 'POST', reqHeaders: [header('Authorization', `Basic ${Buffer.from(`onramp-console:${CLIENT_SECRET}`).toString('base64')}`)], body: { mimeType: 'application/json', _file: 'resources/token.json' } }),
      resource(`http://idp/realms/sandbox/protocol/openid-connect/logout?id_token_hint=${ID_TOKEN}&post_logout_redirect_uri=http%3A%2F%2Fconsole%2F`, {}),
      resource('http://console/cb', { redirectURL: `http://console/#access_token=${encodeURIComponent(ACCESS)}&token_type=Bearer` }),
      resource('http://console/app/api/enrollment-tokens', { method: 'POST', reqHeaders: [header('Cookie', `onramp_console_session=${SESSION}`)], body: { mimeType: 'application/json; charset=utf-8', _file: 'resources/created.json' } }),
      resource('http://console/logo.png', { body: { mimeType: 'image/png', _file: 'resources/logo.png' } }),
      resource('http://console/font.woff2', { body: { mimeType: 'font/woff2', _file: 'resources/font.woff2' } }),
      resource('http://console/', { body: { mimeType: 'text/html; charset=utf-8', _file: 'resources/page.html' } }),
      resource('http://console/app.js', { body: { mimeType: 'x-unknown', _file: 'resources/app.js' } }),
    ].join('\n') + '\n',
  ),
  entry('trace.stacks', JSON.stringify({ files: ['/work/journeys/switch-user-login.journey.ts'], stacks: [['c1', [[0, 10, 5, 'run']]]] })),
  entry('resources/login.dat', `username=sysadmin&password=${encodeURIComponent(SYSADMIN)}&credentialId=`),
  entry('resources/token.json', JSON.stringify({ access_token: ACCESS, id_token: ID_TOKEN, refresh_token: REFRESH, token_type: 'Bearer', expires_in: 300 })),
  entry('resources/created.json', JSON.stringify({ name: 'agent-1', prefix: OTHER_ENROLLMENT.slice(0, 12), secret: OTHER_ENROLLMENT })),
  entry('resources/page.html', `<input type="hidden" value="${NEW_PASSWORD.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"><form action="/login-actions/authenticate?session_code=${KC_SESSION}&amp;execution=x"></form><p>${OTHER_ENROLLMENT}</p><a href="/x#id_token=${ID_TOKEN}">x</a>`),
  entry('resources/app.js', `const basic = "${Buffer.from(`client:${CLIENT_SECRET}`).toString('base64')}"; const url = "http://client:${encodeURIComponent(TYPED)}@idp/";`),
  entry('resources/logo.png', PNG),
  entry('resources/font.woff2', Buffer.from('wOF2 font bytes that happen to be text')),
  entry('resources/frame.jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])),
  entry('resources/app.css', 'body { color: black }'),
];

const SECRETS: SecretValue[] = [
  { what: 'system admin password (typed, form-posted)', value: SYSADMIN, user: 'sysadmin' },
  { what: 'new password (JSON-escaped in the log, HTML-escaped in a page)', value: NEW_PASSWORD },
  { what: 'client secret (context options, Basic auth header and in a script)', value: CLIENT_SECRET, user: 'client' },
  { what: 'enrollment secret the run kept (DOM)', value: ENROLLMENT },
  { what: 'console session cookie (headers, Set-Cookie, DOM)', value: SESSION },
  { what: 'Keycloak session (cookie list, URL of a form in a page)', value: KC_SESSION },
  { what: 'access token (console message, fragment)', value: ACCESS },
  { what: 'ID token (logout URL, page link)', value: ID_TOKEN },
  { what: 'refresh token (token answer)', value: REFRESH },
  { what: 'authorization code (callback URL)', value: CODE },
  { what: 'password typed into a password field only', value: TYPED },
  { what: 'password in a DOM snapshot of a password field', value: 'Unknown-Typed-Pw-77' },
  { what: 'enrollment secret the run never kept (answer body, page)', value: OTHER_ENROLLMENT },
  { what: 'OAuth state', value: 'st8te-value-123456' },
  { what: 'session_state', value: 's3ssion-state-abcdef' },
];

const text = (es: ZipEntry[]) => new Map(es.map((e) => [e.name, e.data.toString('latin1')]));

describe('trace redaction', () => {
  const out = redactTraceEntries(traceEntries(), [SYSADMIN, NEW_PASSWORD, CLIENT_SECRET, ENROLLMENT]);
  const entries = text(out);
  const all = [...entries.values()].join('\n');

  it.each(SECRETS.flatMap((s) => spellingsOf(s).map(([how, v]) => [`${s.what}: ${how}`, v] as const)))('leaves no %s', (_what, spelling) => {
    const where = [...entries].filter(([, t]) => t.includes(spelling)).map(([n]) => n);
    expect(where).toEqual([]);
  });

  it('the planted secrets were there before (the scan is not vacuous)', () => {
    const before = [...text(traceEntries()).values()].join('\n');
    expect(SECRETS.filter((s) => !spellingsOf(s).some(([, v]) => before.includes(v))).map((s) => s.what)).toEqual([]);
  });

  it('keeps what is no secret: names, titles, the shown token prefix, non-secret parameters', () => {
    for (const kept of ['create an enrollment token', 'onramp-syn-admin-agent', 'Basic settings saved; Bearer authentication required; state=settings-tab', 'username=sysadmin', 'AUTH_SESSION_ID=[REDACTED]; onramp_console_session=[REDACTED]', 'Basic [REDACTED]', 'client_id=onramp-console', 'execution=x', OTHER_ENROLLMENT.slice(0, 12), 'body { color: black }', '"expires_in":300', 'Path=/; HttpOnly']) expect(all).toContain(kept);
  });

  it('drops binary resources and every reference to them; every log line still parses', () => {
    expect([...entries.keys()].sort()).toEqual(['resources/app.css', 'resources/app.js', 'resources/created.json', 'resources/login.dat', 'resources/page.html', 'resources/token.json', 'trace.network', 'trace.stacks', 'trace.trace']);
    for (const name of ['trace.trace', 'trace.network']) for (const l of entries.get(name)!.split('\n').filter(Boolean)) expect(() => JSON.parse(l), l).not.toThrow();
    for (const gone of ['resources/logo.png', 'resources/font.woff2', '"logo.png"', 'frame.jpeg']) expect(all).not.toContain(gone);
    const network = entries.get('trace.network')!.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(network).toHaveLength(11);
    const files = network.map((n) => n.snapshot.response.content._file).filter(Boolean);
    expect(files.every((f: string) => entries.has(f))).toBe(true);
    const snapshot = entries.get('trace.trace')!.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'frame-snapshot');
    expect(snapshot.snapshot.resourceOverrides).toEqual([{ url: 'http://console/app.css', sha1: 'app.css' }]);
    expect(entries.get('trace.trace')).not.toContain('screencast-frame');
  });
});
