// Every way one secret value can be written down in a trace: a trace holds the same value as typed
// (action log, DOM), in a URL or a form post (URL-encoded), inside JSON in a JSON string (escaped),
// in HTML (entities) and inside base64 (HTTP Basic auth is base64(user:secret), cookies and state
// blobs embed values too). Redacting by value means redacting every one of these.

/** The characters of base64(...prefix, secret, ...suffix) that depend on the secret alone, for each of the three alignments. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    // Char i holds bits 6i..6i+5: the ones wholly inside the secret's bits [8k, 8(k+n)).
    const core = enc.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    // Too short a core would match by chance in any base64 blob.
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Raw, URL-encoded (both cases of hex), form-encoded, JSON-escaped, HTML-escaped and base64 (any alignment, standard and URL alphabets). */
export function spellings(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const json = JSON.stringify(secret).slice(1, -1);
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [...new Set([secret, url, lower(url), form, lower(form), json, html(secret), ...base64Cores(secret)])];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern for every spelling of every secret, longest first so a longer spelling wins over its prefix. */
export function secretPattern(secrets: Iterable<string>): RegExp | undefined {
  const all = [...new Set([...secrets].flatMap(spellings))].sort((a, b) => b.length - a.length);
  return all.length ? new RegExp(all.map(escapeRe).join('|'), 'g') : undefined;
}
