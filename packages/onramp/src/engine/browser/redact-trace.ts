// Secrets out of a Playwright trace before anyone can read it. A trace zip holds the action log
// (`*.trace`: typed values, DOM snapshots, console messages), the network log (`*.network`:
// headers, cookies, URLs, form posts), stacks and `resources/` (response and request bodies). Every
// entry goes through the same two passes: by field name (secret-fields.ts), which also learns the
// values it replaced, then by value (the run's secrets and those learnt, in every spelling:
// secret-spellings.ts). Resources that are not text cannot be redacted, so they are dropped, and
// the entries that pointed at them lose the reference (the viewer then shows no body, as for a
// response it never got).
import { secretPattern } from './secret-spellings.ts';
import { Harvest, REDACTED, redactFields, redactForm, redactPatterns } from './secret-fields.ts';
import { readZip, writeZip, type ZipEntry } from './zip.ts';

type Part = { kind: 'lines'; lines: unknown[] } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

const TEXT_MIME = /^text\/|json|javascript|ecmascript|xml|x-www-form-urlencoded|svg|css|html|csv/i;
const BINARY_MIME = /^(image|audio|video|font)\/|octet-stream|zip|pdf|wasm|protobuf|woff/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The mime type each resource was recorded with, from the network log's references to it. */
function resourceTypes(logs: unknown[][]): Map<string, string> {
  const types = new Map<string, string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const ref = typeof o._file === 'string' ? o._file : typeof o._sha1 === 'string' ? `resources/${o._sha1}` : undefined;
    if (ref && typeof o.mimeType === 'string') types.set(ref, o.mimeType);
    Object.values(o).forEach(walk);
  };
  logs.forEach(walk);
  return types;
}

/** The text of a resource that is safe to redact as text, or undefined for a binary one. */
function asText(e: ZipEntry, mime: string | undefined): string | undefined {
  // A known binary type goes whatever its bytes; an unknown one (`x-unknown`) is judged by them.
  if (mime && !TEXT_MIME.test(mime) && BINARY_MIME.test(mime)) return undefined;
  if (e.data.includes(0)) return undefined;
  try {
    return utf8.decode(e.data);
  } catch {
    return undefined;
  }
}

const parseLines = (text: string) =>
  text.split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      return l;
    }
  });

/** Removes references to dropped resources (`_file`, `_sha1`, `sha1`, snapshot resource overrides). */
function unlink(v: unknown, dropped: Set<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => unlink(x, dropped)).filter((x) => x !== undefined);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const refs = [o._file, o.file, typeof o._sha1 === 'string' ? `resources/${o._sha1}` : undefined, typeof o.sha1 === 'string' ? `resources/${o.sha1}` : undefined];
  if (refs.some((r) => typeof r === 'string' && dropped.has(r))) {
    // A screencast frame or snapshot override is nothing without its image: the whole item goes.
    if (o.type === 'screencast-frame' || ('url' in o && ('sha1' in o || 'file' in o))) return undefined;
    for (const k of ['_file', 'file', '_sha1', 'sha1']) delete o[k];
  }
  for (const [k, x] of Object.entries(o)) o[k] = unlink(x, dropped);
  return o;
}

/** String leaves of a parsed JSON value, each through `f`. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = mapStrings(x, f);
  return v;
}

/**
 * The trace's entries without any secret: `secrets` are the values the run knows (passwords,
 * tokens, client secrets); the trace's own credentials are found by field name. Binary resources
 * are left out.
 */
export function redactTraceEntries(entries: ZipEntry[], secrets: Iterable<string>): ZipEntry[] {
  const h = new Harvest();
  const parts = new Map<string, Part>();
  const logs = entries.filter((e) => /\.(trace|network)$/.test(e.name));
  const logLines = new Map(logs.map((e) => [e.name, parseLines(e.data.toString('utf8'))]));
  const types = resourceTypes([...logLines.values()]);
  const dropped = new Set<string>();

  // Pass 1, by field name: redacts, and learns the values it replaced.
  for (const e of entries) {
    const lines = logLines.get(e.name);
    if (lines) {
      parts.set(e.name, { kind: 'lines', lines: lines.map((l) => redactFields(l, h)) });
      continue;
    }
    const text = asText(e, types.get(e.name));
    if (text === undefined) {
      dropped.add(e.name);
      continue;
    }
    const json = /^\s*[[{]/.test(text) ? tryJson(text) : undefined;
    if (json !== undefined) parts.set(e.name, { kind: 'json', value: redactFields(json, h) });
    else {
      const form = /x-www-form-urlencoded/i.test(types.get(e.name) ?? '');
      parts.set(e.name, { kind: 'text', text: form ? redactForm(text, h) : redactPatterns(text, h) });
    }
  }

  // Pass 2, by value: every secret known or learnt, in every spelling, in every entry.
  const known = [...secrets].filter((s) => s && s.length >= 4);
  const pattern = secretPattern([...known, ...h.values]);
  const byValue = (s: string) => (pattern ? s.replace(pattern, REDACTED) : s);
  const out: ZipEntry[] = [];
  for (const e of entries) {
    const p = parts.get(e.name);
    if (!p) continue;
    let text: string;
    // A line that was no JSON stays a line of text.
    if (p.kind === 'lines') text = p.lines.map((l) => (typeof l === 'string' ? byValue(l) : JSON.stringify(unlink(mapStrings(l, byValue), dropped)))).join('\n') + '\n';
    else if (p.kind === 'json') text = JSON.stringify(mapStrings(p.value, byValue));
    else text = byValue(p.text);
    out.push({ name: e.name, data: Buffer.from(text, 'utf8') });
  }
  return out;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A trace zip as Playwright wrote it, redacted (see redactTraceEntries). */
export const redactTrace = (zip: Buffer, secrets: Iterable<string>): Buffer => writeZip(redactTraceEntries(readZip(zip), secrets));
