// Secrets found by where they sit rather than by value: Authorization, Cookie and Set-Cookie
// headers, token and password fields of JSON and form bodies, OAuth parameters in URLs and
// fragments, JWTs anywhere. Each rule replaces what it finds and hands the value to a Harvest, so
// the same value is then redacted by value wherever else the trace holds it (a session id that is a
// cookie in one request is a path segment of the next, an ID token in a redirect is a form field
// in the logout).

export const REDACTED = '[REDACTED]';

/** Values found by field name; short ones are redacted in place only (by value they would hit ordinary text). */
export class Harvest {
  readonly values = new Set<string>();
  add(value: string | undefined): void {
    if (value && value.length >= 8 && value !== REDACTED) this.values.add(value);
  }
}

// Header names whose whole value is a credential (Cookie and Set-Cookie keep their cookie names).
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-key|session/i;
// URL query, fragment and form parameters: OAuth's code, state and nonce, Keycloak's session_code...
const SECRET_PARAM = /token|secret|passw|pwd|session[_-]?(id|code|state|token)|credential|api[-_]?key|signature|verifier|assertion|^(code|state|nonce|sig|key|session|sid)$/i;
// JSON keys (bodies, trace events' parameters): no `state` or `code` here, those are ordinary words in JSON.
const SECRET_KEY = /token|secret|passw|pwd|credential|api[-_]?key|signature|verifier|assertion|^(session_?id|sid)$/i;
const NOT_SECRET_KEY = /^token_type$|expires|_in$|_at$/i;

export const isSecretParam = (name: string) => SECRET_PARAM.test(name) && !NOT_SECRET_KEY.test(name);
export const isSecretKey = (name: string) => SECRET_KEY.test(name) && !NOT_SECRET_KEY.test(name);

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,3}/g;
// name=value in a URL (query, fragment, HTML-escaped &amp;) or a form body.
const URL_PARAM = /([?&#]|&amp;)([A-Za-z0-9_.\-[\]]+)=([^&#\s"'<>;]*)/g;
const USERINFO = /(\/\/[^/\s:@"'<>]+:)([^@/\s"'<>]+)@/g;
// Credentials in free text ("Authorization: Bearer ..." in a console message), shaped like ones, so
// that "Basic settings" stays prose.
const AUTH_SCHEME = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g;
const looksLikeCredential = (scheme: string, cred: string) => (scheme === 'Basic' ? /^[\x20-\x7e]+:/.test(Buffer.from(cred, 'base64').toString('utf8')) : /\d/.test(cred));

/** The credential part of an Authorization value; Basic's password is harvested decoded too. */
function authValue(value: string, h: Harvest): string {
  const m = /^(\w+)\s+(.+)$/.exec(value.trim());
  if (!m) {
    h.add(value);
    return REDACTED;
  }
  h.add(m[2]);
  if (/^basic$/i.test(m[1]!)) {
    const plain = Buffer.from(m[2]!, 'base64').toString('utf8');
    if (plain.includes(':')) h.add(plain.slice(plain.indexOf(':') + 1));
  }
  return `${m[1]} ${REDACTED}`;
}

/** `a=1; b=2` (Cookie) or `a=1; Path=/` per line (Set-Cookie): values out, names and attributes kept. */
function cookieValue(value: string, setCookie: boolean, h: Harvest): string {
  const one = (pair: string) => {
    const i = pair.indexOf('=');
    if (i < 0) return pair;
    h.add(pair.slice(i + 1).trim());
    return `${pair.slice(0, i)}=${REDACTED}`;
  };
  if (setCookie) return value.split('\n').map((line) => [one(line.split(';')[0]!), ...line.split(';').slice(1)].join(';')).join('\n');
  return value.split(';').map((p) => (p.trim() ? (p.startsWith(' ') ? ' ' : '') + one(p.trim()) : p)).join(';');
}

/** A header's value with its credential replaced, or the value as it was. */
export function redactHeader(name: string, value: string, h: Harvest): string {
  if (!SECRET_HEADER.test(name) || value === '') return value;
  const n = name.toLowerCase();
  if (n === 'cookie' || n === 'set-cookie') return cookieValue(value, n === 'set-cookie', h);
  if (n.endsWith('authorization')) return authValue(value, h);
  h.add(value);
  return REDACTED;
}

/** A form body (application/x-www-form-urlencoded) with its secret fields replaced. */
export function redactForm(body: string, h: Harvest): string {
  const params = new URLSearchParams(body);
  let changed = false;
  for (const [k, v] of params) if (isSecretParam(k) && v) {
    h.add(v);
    params.set(k, REDACTED);
    changed = true;
  }
  return changed ? params.toString().split(encodeURIComponent(REDACTED)).join(REDACTED) : body;
}

/** The rules that need no field name: JWTs, secret URL parameters, URL passwords, Authorization-style credentials in text. */
export function redactPatterns(text: string, h: Harvest): string {
  return text
    .replace(JWT, (m) => (h.add(m), REDACTED))
    .replace(URL_PARAM, (m, sep: string, name: string, value: string) => {
      if (!value || value === REDACTED || !isSecretParam(name)) return m;
      const plain = safeDecode(value);
      h.add(value);
      h.add(plain);
      return `${sep}${name}=${REDACTED}`;
    })
    .replace(USERINFO, (_m, head: string, pass: string) => (h.add(pass), h.add(safeDecode(pass)), `${head}${REDACTED}@`))
    .replace(AUTH_SCHEME, (m, scheme: string, cred: string) => (looksLikeCredential(scheme, cred) ? authValue(`${scheme} ${cred}`, h) : m));
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

function secretValue(value: string, h: Harvest): string {
  h.add(value);
  return REDACTED;
}

/**
 * A parsed JSON value (a trace event, a network entry, a JSON body) with secret fields replaced:
 * string values under secret keys, header and cookie values, form bodies, and the pattern rules on
 * every string. Mutates and returns it.
 */
export function redactFields(value: unknown, h: Harvest, secretKey = false): unknown {
  if (typeof value === 'string') return secretKey && value ? secretValue(value, h) : redactPatterns(value, h);
  if (Array.isArray(value)) return value.map((v) => redactFields(v, h, secretKey));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  // A HAR header: { name, value }.
  if (typeof o.name === 'string' && typeof o.value === 'string') o.value = redactHeader(o.name, o.value, h);
  // A HAR cookie list: every value is a credential, whatever the cookie is called.
  if (Array.isArray(o.cookies)) for (const c of o.cookies as Record<string, unknown>[]) if (typeof c?.value === 'string' && c.value) c.value = secretValue(c.value, h);
  // A HAR body: { mimeType, text } (forms are the one text format with secret fields by name).
  if (typeof o.text === 'string' && typeof o.mimeType === 'string' && /x-www-form-urlencoded/i.test(o.mimeType)) o.text = redactForm(o.text, h);
  // A password field in a DOM snapshot, and what an action typed into one.
  const typedSecret = o.type === 'password' || (typeof o.selector === 'string' && /passw|secret|otp/i.test(o.selector));
  if (typedSecret) for (const k of ['value', '__playwright_value_', 'text']) if (typeof o[k] === 'string' && o[k]) o[k] = secretValue(o[k] as string, h);
  for (const [k, v] of Object.entries(o)) o[k] = redactFields(v, h, isSecretKey(k));
  return o;
}
