// The IdP's login-theme pages against Keycloak 26.7.1's recorded pages: for each recording, the
// page rendered from the same inputs must have the same significant DOM (ids, forms, inputs,
// buttons, links, page id, title and texts), which is what Playwright scripts written for real
// Keycloak select on.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGES,
  RESOURCES_PATH,
  RESOURCES_COMMON_PATH,
  format,
  renderErrorPage,
  renderInfoPage,
  renderLoginPage,
  renderLogoutConfirmPage,
  renderPageExpired,
  renderUpdatePasswordPage,
} from '../../src/idp/pages/index.ts';
import { serveResource } from '../../src/idp/pages/resources.ts';
import { requireReference } from '../support/reference.ts';

const REFERENCE_DIR = requireReference();

// ---------------------------------------------------------------------------------------------
// A small HTML reader: enough structure to compare pages, without a DOM dependency.

interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** Offset just after the opening tag. */
  end: number;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", laquo: '«', raquo: '»' };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|laquo|raquo);/g, (_, e: string) => ENTITIES[e]!);

/** Scripts and comments blanked out (same length, so offsets stay valid). */
function markupOnly(html: string): string {
  return html.replace(/<script\b[\s\S]*?<\/script>|<!--[\s\S]*?-->/gi, (m) => ' '.repeat(m.length));
}

function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  const tagRe = /<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  const attrRe = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  const source = markupOnly(html);
  for (let m = tagRe.exec(source); m; m = tagRe.exec(source)) {
    const attrs: Record<string, string> = {};
    for (let a = attrRe.exec(m[2]!); a; a = attrRe.exec(m[2]!)) {
      attrs[a[1]!.toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
    }
    tags.push({ name: m[1]!.toLowerCase(), attrs, end: m.index + m[0].length });
  }
  return tags;
}

const VOID = new Set(['input', 'br', 'meta', 'link', 'img', 'hr']);

/** Text content of the element opened by `tag`, whitespace collapsed. */
function textOf(html: string, tag: Tag): string {
  if (VOID.has(tag.name)) return '';
  const source = markupOnly(html);
  const re = new RegExp(`<(/?)${tag.name}\\b[^>]*>`, 'gi');
  re.lastIndex = tag.end;
  let depth = 1;
  let close = source.length;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      close = m.index;
      break;
    }
  }
  return decode(source.slice(tag.end, close).replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The version segment differs per installation (and per recording); compare paths without it. */
const normalizeResourcePaths = (s: string) => s.replace(/\/resources\/[^/]+\//g, '/resources/VERSION/');

interface SignificantDom {
  title: string;
  pageId: string | undefined;
  htmlClass: string | undefined;
  stylesheets: string[];
  moduleScripts: string[];
  sessionPolling: string | undefined;
  checksAuthSession: boolean;
  /** Every element with an id, in document order: tag#id. */
  ids: string[];
  forms: Array<Record<string, string | undefined>>;
  inputs: Array<Record<string, string | undefined>>;
  buttons: Array<Record<string, string | undefined>>;
  links: Array<Record<string, string | undefined>>;
  texts: Record<string, string>;
  /** All body text, whitespace collapsed. */
  bodyText: string;
}

function significantDom(html: string): SignificantDom {
  const tags = parseTags(html);
  const body = tags.find((t) => t.name === 'body');
  const bodyTags = tags.filter((t) => body && t.end >= body.end);
  const pick = (t: Tag, keys: string[]) => Object.fromEntries(keys.map((k) => [k, t.attrs[k]]));
  const texts: Record<string, string> = {};
  for (const t of bodyTags) {
    if (t.attrs.id && ['h1', 'p', 'a', 'div', 'span', 'button', 'label'].includes(t.name)) texts[t.attrs.id] = textOf(html, t);
    if (t.attrs.class?.split(' ').includes('instruction')) texts[`.instruction#${t.attrs.id ?? ''}`] = textOf(html, t);
    if (t.name === 'label' && t.attrs.for) texts[`label[for=${t.attrs.for}]`] = textOf(html, t);
  }
  const titleTag = tags.find((t) => t.name === 'title');
  return {
    title: titleTag ? textOf(html, titleTag) : '',
    pageId: body?.attrs['data-page-id'],
    htmlClass: tags.find((t) => t.name === 'html')?.attrs.class,
    stylesheets: tags.filter((t) => t.name === 'link').map((t) => normalizeResourcePaths(t.attrs.href ?? '')),
    moduleScripts: [...html.matchAll(/(?:src=|from )"([^"]+\.js)"/g)].map((m) => normalizeResourcePaths(m[1]!)),
    sessionPolling: /startSessionPolling\(\s*"([^"]*)"/.exec(html)?.[1],
    checksAuthSession: /checkAuthSession\(\s*"/.test(html),
    ids: bodyTags.filter((t) => t.attrs.id).map((t) => `${t.name}#${t.attrs.id}`),
    forms: bodyTags.filter((t) => t.name === 'form').map((t) => pick(t, ['id', 'method', 'action', 'novalidate', 'onsubmit'])),
    inputs: bodyTags
      .filter((t) => t.name === 'input')
      .map((t) => pick(t, ['id', 'name', 'type', 'value', 'autocomplete', 'aria-invalid', 'checked', 'readonly'])),
    buttons: bodyTags
      .filter((t) => t.name === 'button')
      .map((t) => ({ ...pick(t, ['id', 'name', 'type', 'aria-controls', 'aria-label']), text: textOf(html, t) })),
    links: bodyTags.filter((t) => t.name === 'a').map((t) => ({ ...pick(t, ['id', 'href']), text: textOf(html, t) })),
    texts,
    bodyText: body ? textOf(html, body) : '',
  };
}

function byId(html: string, id: string): Tag | undefined {
  return parseTags(html).find((t) => t.attrs.id === id);
}

/** Whether the element with id `inner` sits inside the element with id `outer`. */
function isInside(html: string, inner: string, outer: string): boolean {
  const outerTag = byId(html, outer);
  const innerTag = byId(html, inner);
  if (!outerTag || !innerTag) return false;
  const source = markupOnly(html);
  const re = new RegExp(`<(/?)${outerTag.name}\\b[^>]*>`, 'gi');
  re.lastIndex = outerTag.end;
  let depth = 1;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return innerTag.end > outerTag.end && innerTag.end <= m.index;
  }
  return false;
}

function recordedBody(relativePath: string): string {
  const text = readFileSync(join(REFERENCE_DIR, relativePath), 'utf8');
  return text.slice(text.indexOf('<!DOCTYPE'));
}

// ---------------------------------------------------------------------------------------------

const CLIENT_DATA = 'eyJydSI6Imh0dHA6Ly9sb2NhbGhvc3Q6OTk5OS9jYWxsYmFjayIsInJ0IjoiY29kZSIsInN0IjoieHl6MTIzIn0';

interface Case {
  recording: string;
  render: () => string;
}

const errorPage = (message: string, restartUrl: string, backToApplicationUrl?: string) => () =>
  renderErrorPage({ realm: 'master', message, restartUrl, backToApplicationUrl });

const cases: Case[] = [
  {
    recording: 'oidc/authorization/login-page.http',
    render: () =>
      renderLoginPage({
        realm: 'gloak-probe-login',
        actionUrl: `{{issuer}}/realms/gloak-probe-login/login-actions/authenticate?session_code={{session_code}}&execution={{execution}}&client_id=gloak-probe-browser&tab_id={{tab_id}}&client_data=${CLIENT_DATA}`,
        loginRestartUrl: `/realms/gloak-probe-login/login-actions/restart?client_id=gloak-probe-browser&tab_id={{tab_id}}&client_data=${CLIENT_DATA}&skip_logout=true`,
        authSessionIdHash: '{{checkAuthSession}}',
      }),
  },
  {
    recording: 'oidc/authorization/invalid-redirect-uri.http',
    render: errorPage(
      MESSAGES.invalidRedirectUri,
      '/realms/master/login-actions/restart?client_id=security-admin-console&skip_logout=true',
      '{{issuer}}/admin/master/console/',
    ),
  },
  {
    recording: 'oidc/authorization/unknown-client-id.http',
    render: errorPage(MESSAGES.clientNotFound, '/realms/master/login-actions/restart?skip_logout=true'),
  },
  {
    recording: 'oidc/authorization/login-actions-restart-cookie-missing.http',
    render: errorPage(MESSAGES.cookieNotFound, '/realms/master/login-actions/restart?client_id=gloak-probe-browser&skip_logout=true'),
  },
  {
    recording: 'oidc/authorization/login-actions-invalid-client-data.http',
    render: errorPage(MESSAGES.invalidRequest, '/realms/master/login-actions/restart?client_id=gloak-probe-browser&skip_logout=true'),
  },
  {
    recording: 'oidc/authorization/required-action-invalid-client-data.http',
    render: errorPage(MESSAGES.invalidRequest, '/realms/master/login-actions/restart?client_id=gloak-probe-browser&skip_logout=true'),
  },
  {
    recording: 'oidc/logout/invalid-id-token-hint.http',
    // No realm-specific polling URL given: the page falls back to the bare restart URL, as recorded.
    render: () => renderErrorPage({ realm: 'master', message: MESSAGES.invalidIdTokenHint }),
  },
  {
    recording: 'oidc/logout/invalid-post-logout-redirect-uri.http',
    render: errorPage(
      MESSAGES.invalidRedirectUriLogout,
      '/realms/master/login-actions/restart?client_id=security-admin-console&skip_logout=true',
      '{{issuer}}/admin/master/console/',
    ),
  },
  {
    recording: 'oidc/authorization/session-code-wrong-execution.http',
    render: () =>
      renderPageExpired({
        realm: 'master',
        restartUrl: `/realms/master/login-actions/restart?client_id=gloak-probe-browser&tab_id={{tab_id}}&client_data=${CLIENT_DATA}&skip_logout=false`,
        continueUrl: `{{issuer}}/realms/master/login-actions/authenticate?execution={{execution}}&client_id=gloak-probe-browser&tab_id={{tab_id}}&client_data=${CLIENT_DATA}`,
        authSessionIdHash: '{{checkAuthSession}}',
      }),
  },
];

describe(`pages match Keycloak 26.7.1 recordings (${REFERENCE_DIR})`, () => {
  it.each(cases)('$recording', ({ recording, render }) => {
    const expected = significantDom(recordedBody(recording));
    const actual = significantDom(render());
    expect(actual).toEqual(expected);
    // The parser found something to compare in the first place.
    expect(expected.pageId).toMatch(/^login-/);
    expect(expected.ids.length).toBeGreaterThanOrEqual(5);
  });

  it('tells pages apart (the comparison is not vacuous)', () => {
    const recorded = significantDom(recordedBody('oidc/authorization/login-page.http'));
    const withError = significantDom(cases[0]!.render().replace('id="kc-login"', 'id="kc-signin"'));
    expect(withError).not.toEqual(recorded);
    const otherMessage = significantDom(renderErrorPage({ realm: 'master', message: 'Other' }));
    expect(otherMessage).not.toEqual(significantDom(recordedBody('oidc/authorization/unknown-client-id.http')));
  });
});

describe('login page', () => {
  const base = {
    realm: 'demo',
    actionUrl: 'http://idp/realms/demo/login-actions/authenticate?session_code=abc&execution=e1&client_id=app&tab_id=t1',
    loginRestartUrl: '/realms/demo/login-actions/restart?client_id=app&tab_id=t1&skip_logout=true',
  };

  it('has the form scripts select on', () => {
    const dom = significantDom(renderLoginPage(base));
    expect(dom.title).toBe('Sign in to demo');
    expect(dom.texts['kc-page-title']).toBe('Sign in to your account');
    expect(dom.pageId).toBe('login-login');
    expect(dom.forms).toEqual([
      { id: 'kc-form-login', method: 'post', action: base.actionUrl, novalidate: 'novalidate', onsubmit: 'login.disabled = true; return true;' },
    ]);
    expect(dom.inputs.map((i) => [i.id, i.name, i.type])).toEqual([
      ['username', 'username', 'text'],
      ['password', 'password', 'password'],
      ['id-hidden-input', 'credentialId', 'hidden'],
    ]);
    expect(dom.buttons.find((b) => b.id === 'kc-login')).toMatchObject({ name: 'login', type: 'submit', text: 'Sign In' });
    expect(dom.ids).not.toContain('div#input-error-username');
  });

  it('shows a failed login as Keycloak does: the message at the username field', () => {
    const html = renderLoginPage({ ...base, username: 'alice', error: MESSAGES.invalidUserMessage });
    const dom = significantDom(html);
    expect(dom.texts['input-error-username']).toBe('Invalid username or password.');
    expect(isInside(html, 'input-error-username', 'input-error-container-username')).toBe(true);
    expect(dom.inputs.find((i) => i.id === 'username')).toMatchObject({ value: 'alice', 'aria-invalid': 'true' });
    // login.ftl passes error="" to the password field: only the username input is marked invalid.
    expect(dom.inputs.find((i) => i.id === 'password')).toMatchObject({ value: '', 'aria-invalid': '' });
    expect(dom.ids).not.toContain('div#input-error-password');
    // No page-level alert while a field shows the error.
    expect(html).not.toContain('pf-v5-c-alert');
  });

  it('escapes interpolated values', () => {
    const html = renderLoginPage({
      ...base,
      realm: '<b>realm</b>',
      actionUrl: 'http://idp/x?a=1&b="><script>alert(1)</script>',
      loginRestartUrl: '/r?x="</script><script>alert(2)</script>',
      username: '<script>alert("u")</script>',
      error: '<img src=x onerror=alert(3)>',
    });
    expect(html).not.toMatch(/<script>alert|<img|<b>realm/);
    expect(html).toContain('value="&lt;script&gt;alert(&quot;u&quot;)&lt;/script&gt;"');
    expect(html).toContain('<title>Sign in to &lt;b&gt;realm&lt;/b&gt;</title>');
    const dom = significantDom(html);
    expect(dom.inputs.find((i) => i.id === 'username')?.value).toBe('<script>alert("u")</script>');
    expect(dom.forms[0]?.action).toBe('http://idp/x?a=1&b="><script>alert(1)</script>');
    expect(dom.texts['input-error-username']).toBe('<img src=x onerror=alert(3)>');
    expect(dom.sessionPolling).toBe('/r?x=\\u0022\\u003c/script\\u003e\\u003cscript\\u003ealert(2)\\u003c/script\\u003e');
  });

  it('brands with the display name, sanitizing displayNameHtml', () => {
    const html = renderLoginPage({ ...base, realmDisplayName: 'Demo Corp', realmDisplayNameHtml: '<div class="x" onclick="evil()"><b>Demo</b> <script>bad()</script></div>' });
    expect(significantDom(html).title).toBe('Sign in to Demo Corp');
    expect(html).toContain('class="pf-v5-c-brand"><div class="x"><b>Demo</b> &lt;script&gt;bad()&lt;/script&gt;</div></div>');
  });

  it('labels the username field by loginWithEmailAllowed', () => {
    expect(significantDom(renderLoginPage(base)).texts['label[for=username]']).toBe('Username or email');
    expect(significantDom(renderLoginPage({ ...base, loginWithEmailAllowed: false })).texts['label[for=username]']).toBe('Username');
  });
});

describe('update password page', () => {
  const base = { realm: 'demo', actionUrl: 'http://idp/realms/demo/login-actions/required-action?execution=UPDATE_PASSWORD&client_id=app&tab_id=t1' };

  it('has the form, fields and checkbox of login-update-password.ftl', () => {
    const html = renderUpdatePasswordPage(base);
    const dom = significantDom(html);
    expect(dom.pageId).toBe('login-login-update-password');
    expect(dom.texts['kc-page-title']).toBe('Update password');
    expect(dom.forms).toMatchObject([{ id: 'kc-passwd-update-form', method: 'post', action: base.actionUrl }]);
    expect(dom.inputs.map((i) => [i.id, i.name, i.type])).toEqual([
      ['password-new', 'password-new', 'password'],
      ['password-confirm', 'password-confirm', 'password'],
      ['logout-sessions', 'logout-sessions', 'checkbox'],
    ]);
    expect(dom.inputs.find((i) => i.id === 'logout-sessions')).toMatchObject({ value: 'on', checked: '' });
    expect(dom.texts['label[for=logout-sessions]']).toBe('Sign out from other devices');
    expect(dom.buttons.find((b) => b.id === 'kc-submit')).toMatchObject({ name: 'login', type: 'submit', text: 'Submit' });
    // The required action's own notice is the page message when nothing failed.
    expect(html).toContain('pf-m-warning');
    expect(dom.bodyText).toContain(MESSAGES.updatePasswordMessage);
  });

  it('shows a password-policy rejection in the page alert (Keycloak uses setError for it)', () => {
    const message = format('Invalid password: minimum length {0}.', 12);
    const html = renderUpdatePasswordPage({ ...base, error: message });
    expect(html).toMatch(/<div class="pf-v5-c-alert pf-m-inline pf-v5-u-mb-md pf-m-danger">/);
    expect(html).toContain(`<span class="pf-v5-c-alert__title kc-feedback-text">${message}</span>`);
    expect(html).not.toContain('pf-m-warning');
  });

  it('shows a mismatch at the confirmation field', () => {
    const html = renderUpdatePasswordPage({ ...base, fieldErrors: { 'password-confirm': MESSAGES.notMatchPasswordMessage } });
    const dom = significantDom(html);
    expect(dom.texts['input-error-password-confirm']).toBe("Passwords don't match.");
    expect(isInside(html, 'input-error-password-confirm', 'input-error-container-password-confirm')).toBe(true);
    expect(dom.inputs.find((i) => i.id === 'password-confirm')?.['aria-invalid']).toBe('true');
    expect(dom.inputs.find((i) => i.id === 'password-new')?.['aria-invalid']).toBe('');
    expect(html).not.toContain('pf-v5-c-alert');
  });

  it('shows a missing password at the new-password field', () => {
    const html = renderUpdatePasswordPage({ ...base, fieldErrors: { password: MESSAGES.missingPasswordMessage } });
    const dom = significantDom(html);
    expect(dom.texts['input-error-password-new']).toBe('Please specify password.');
    expect(isInside(html, 'input-error-password-new', 'input-error-container-password-new')).toBe(true);
    expect(dom.inputs.find((i) => i.id === 'password-new')?.['aria-invalid']).toBe('true');
  });

  it('shows the attempted username with the restart button when given', () => {
    const html = renderUpdatePasswordPage({ ...base, username: 'alice', restartUrl: "/realms/demo/login-actions/restart?x='1'" });
    const dom = significantDom(html);
    expect(dom.inputs.find((i) => i.id === 'kc-attempted-username')).toMatchObject({ value: 'alice', readonly: '' });
    expect(dom.buttons.find((b) => b.id === 'reset-login')).toMatchObject({ type: 'button', 'aria-label': 'Restart login' });
    expect(html).toContain("onclick=\"location.href=&#39;/realms/demo/login-actions/restart?x=\\u00271\\u0027&#39;\"");
  });
});

describe('other pages', () => {
  it('error page without a realm is branded Keycloak', () => {
    const dom = significantDom(renderErrorPage({ message: 'Boom <&>' }));
    expect(dom.title).toBe('Sign in to Keycloak');
    expect(dom.pageId).toBe('login-error');
    expect(dom.texts['kc-page-title']).toBe('We are sorry...');
    expect(dom.texts['.instruction#']).toBe('Boom <&>');
    expect(dom.links).toEqual([]);
    expect(dom.sessionPolling).toBe('/realms/master/login-actions/restart?skip_logout=true');
  });

  it('error page in another realm uses its name', () => {
    const dom = significantDom(renderErrorPage({ realm: 'demo', message: MESSAGES.clientNotFound, backToApplicationUrl: 'http://app/' }));
    expect(dom.title).toBe('Sign in to demo');
    expect(dom.texts['kc-header-wrapper']).toBe('demo');
    expect(dom.links).toEqual([{ id: 'backToApplication', href: 'http://app/', text: '« Back to Application' }]);
  });

  it('page expired derives the polling URL from the restart link', () => {
    const html = renderPageExpired({ realm: 'demo', restartUrl: '/realms/demo/login-actions/restart?client_id=app&skip_logout=false', continueUrl: 'http://idp/c?a=1&b=2' });
    const dom = significantDom(html);
    expect(dom.pageId).toBe('login-login-page-expired');
    expect(dom.links.map((l) => [l.id, l.href, l.text])).toEqual([
      ['loginRestartLink', '/realms/demo/login-actions/restart?client_id=app&skip_logout=false', 'Click here'],
      ['loginContinueLink', 'http://idp/c?a=1&b=2', 'Click here'],
    ]);
    expect(dom.sessionPolling).toBe('/realms/demo/login-actions/restart?client_id=app&skip_logout=true');
    expect(dom.checksAuthSession).toBe(false);
  });

  it('logout confirmation posts session_code with confirmLogout', () => {
    const html = renderLogoutConfirmPage({ realm: 'demo', actionUrl: '/realms/demo/protocol/openid-connect/logout/logout-confirm', sessionCode: 'code&1', clientName: 'App' });
    const dom = significantDom(html);
    expect(dom.pageId).toBe('login-logout-confirm');
    expect(dom.title).toBe('Sign in to demo');
    expect(dom.texts['kc-page-title']).toBe('Logging out');
    expect(dom.texts['.instruction#']).toBe('Do you want to log out?');
    expect(isInside(html, 'kc-logout', 'kc-logout-confirm')).toBe(true);
    expect(dom.forms).toMatchObject([{ method: 'POST', action: '/realms/demo/protocol/openid-connect/logout/logout-confirm' }]);
    expect(dom.inputs).toMatchObject([
      { name: 'session_code', type: 'hidden', value: 'code&1' },
      { id: 'kc-logout', name: 'confirmLogout', type: 'submit', value: 'Logout' },
    ]);
  });

  it('info page shows "You are logged out"', () => {
    const dom = significantDom(renderInfoPage({ realm: 'demo', title: MESSAGES.loggedOut, message: MESSAGES.loggedOut, link: { href: 'http://app/' } }));
    expect(dom.pageId).toBe('login-info');
    expect(dom.texts['kc-page-title']).toBe('You are logged out');
    expect(dom.texts['kc-info-message']).toBe('You are logged out « Back to Application');
    expect(dom.links).toEqual([{ id: undefined, href: 'http://app/', text: '« Back to Application' }]);
  });

  it('format substitutes positional arguments', () => {
    expect(format(MESSAGES.differentUserAuthenticated, 'bob')).toBe(
      "You are already authenticated as different user 'bob' in this session. Please sign out first.",
    );
    expect(format('{0}-{1}-{2}', 'a', 2)).toBe('a-2-{2}');
  });
});

describe('theme resources', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void serveResource(req, res, new URL(req.url ?? '/', 'http://idp.invalid'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves every resource a page references', async () => {
    const html = renderLoginPage({ realm: 'demo', actionUrl: '/a', loginRestartUrl: '/r', authSessionIdHash: 'h' });
    const urls = new Set([...html.matchAll(/"(\/resources\/[^"]+)"/g)].map((m) => m[1]!));
    expect(urls).toEqual(
      new Set([
        `${RESOURCES_PATH}/img/favicon.ico`,
        `${RESOURCES_COMMON_PATH}/vendor/patternfly-v5/patternfly.min.css`,
        `${RESOURCES_COMMON_PATH}/vendor/patternfly-v5/patternfly-addons.css`,
        `${RESOURCES_PATH}/css/styles.css`,
        `${RESOURCES_COMMON_PATH}/vendor/rfc4648/rfc4648.js`,
        `${RESOURCES_PATH}/js/passwordVisibility.js`,
        `${RESOURCES_PATH}/js/authChecker.js`,
      ]),
    );
    for (const url of urls) {
      const res = await fetch(base + url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control')).toBe('max-age=2592000');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('serves the JS modules the pages import, with the functions they import', async () => {
    const res = await fetch(`${base}${RESOURCES_PATH}/js/authChecker.js`);
    expect(res.headers.get('content-type')).toBe('application/javascript');
    const source = await res.text();
    expect(source).toMatch(/export function startSessionPolling/);
    expect(source).toMatch(/export function checkAuthSession/);
    expect(source).not.toMatch(/fetch\(|XMLHttpRequest|https?:\/\//);
  });

  it('answers 404 JSON for anything else', async () => {
    for (const path of ['/resources/onramp1/login/keycloak.v2/js/missing.js', '/resources/other/login/keycloak.v2/css/styles.css', '/resources/onramp1/../package.json']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ error: 'Resource not found' });
    }
  });

  it('answers HEAD without a body', async () => {
    const res = await fetch(`${base}${RESOURCES_PATH}/css/styles.css`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await res.text()).toBe('');
  });
});
