// The authorization response as Keycloak 26 sends it (OIDCLoginProtocol.authenticated and
// OIDCRedirectUriBuilder): parameters state, session_state, code, iss in that order, in the query
// or the fragment, or for response_mode=form_post a 200 HTML page whose form posts them back,
// submitted on load. Also the PKCE "plain" method, which oidc-provider does not take: the challenge
// is hashed into an S256 one on the way in, so S256(verifier) == S256(challenge) holds exactly
// when verifier == challenge, and the token endpoint's check (token-endpoint.ts) serves both.
import { createHash } from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { policyHeaders } from './header-policy.ts';

/** Keycloak's parameter order for a successful authorization response. */
const ORDER = ['state', 'session_state', 'code', 'iss'];

/**
 * The authorization request with a plain (or method-less, which Keycloak reads as plain) PKCE
 * challenge rewritten to S256; undefined when there is nothing to rewrite.
 */
export function plainChallengeAsS256(url: URL): string | undefined {
  const q = url.searchParams;
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (!challenge || (method !== null && method !== 'plain')) return undefined;
  q.set('code_challenge', createHash('sha256').update(challenge, 'latin1').digest('base64url'));
  q.set('code_challenge_method', 'S256');
  return `${url.pathname}?${q}`;
}

/** Java's String.hashCode and HashMap bucket order (capacity 16), the order FormPostRedirectUriBuilder writes its inputs in. */
function hashMapOrder(keys: string[]): string[] {
  const bucket = (k: string) => {
    let h = 0;
    for (const ch of k) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
    return (h ^ (h >>> 16)) & 15;
  };
  return keys.map((k, i) => ({ k, i, b: bucket(k) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.k);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** FormPostRedirectUriBuilder.build: Keycloak's auto-submitting form. */
export function formPostPage(action: string, params: [string, string][]): string {
  const values = new Map(params);
  const inputs = hashMapOrder([...values.keys()])
    .map((k) => `  <INPUT TYPE="HIDDEN" NAME="${escape(k)}" VALUE="${escape(values.get(k)!)}" />`)
    .join('');
  return (
    '<HTML>  <HEAD>    <TITLE>OIDC Form_Post Response</TITLE>  </HEAD>  <BODY Onload="document.forms[0].submit()">' +
    `    <FORM METHOD="POST" ACTION="${escape(action)}">${inputs}` +
    '      <NOSCRIPT>        <P>JavaScript is disabled. We strongly recommend to enable it. Click the button below to continue .</P>' +
    '        <INPUT name="continue" TYPE="SUBMIT" VALUE="CONTINUE" />      </NOSCRIPT>    </FORM>  </BODY></HTML>'
  );
}

function ordered(params: URLSearchParams, sessionState: string | undefined): [string, string][] {
  const out = [...params.entries()].filter(([k]) => k !== 'session_state');
  if (sessionState && params.has('code')) out.push(['session_state', sessionState]);
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : -1);
  return out.sort(([a], [b]) => rank(a) - rank(b));
}

const decodeHtml = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

/** Koa middleware after oidc-provider's authorization and resume routes. */
export function keycloakAuthorizationResponse() {
  return async (kctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (!['authorization', 'resume'].includes(kctx.oidc?.route ?? '')) return;
    const clientId = kctx.oidc?.client?.clientId;
    const authorizations = (kctx.oidc?.session as unknown as { authorizations?: Record<string, { sid?: string }> } | undefined)?.authorizations;
    const sessionState = clientId ? authorizations?.[clientId]?.sid : undefined;
    if (kctx.status === 303) {
      const location = kctx.response.get('Location');
      if (!location) return;
      const url = new URL(location, kctx.href);
      if (url.hash.length > 1) {
        const params = new URLSearchParams(url.hash.slice(1));
        if (!params.has('code')) return;
        url.hash = ordered(params, sessionState).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      } else {
        if (!url.searchParams.has('code')) return;
        const params = ordered(url.searchParams, sessionState);
        for (const [k] of params) url.searchParams.delete(k);
        for (const [k, v] of params) url.searchParams.append(k, v);
      }
      kctx.set('Location', url.toString());
      return;
    }
    const body = typeof kctx.body === 'string' ? kctx.body : '';
    if (kctx.oidc?.params?.response_mode !== 'form_post' || !body.includes('<form method="post"')) return;
    const action = /<form method="post" action="([^"]*)"/.exec(body)?.[1];
    if (action === undefined) return;
    const params = new URLSearchParams();
    for (const m of body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) params.append(m[1]!, decodeHtml(m[2]!));
    kctx.body = formPostPage(decodeHtml(action), ordered(params, sessionState));
    // Keycloak's login flow answers with its no-back-button cache policy; no script hash CSP here.
    kctx.set(policyHeaders('authorization', 'formPost'));
    kctx.remove('Content-Security-Policy');
  };
}
