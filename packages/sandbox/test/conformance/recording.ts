// Recorded Keycloak responses (keycloak-reference/*.http) and a comparison of a live response
// against one. A recording is `# METHOD path`, optional `# recorded-with:` and `# derived-from:` lines, the status
// line, headers, a blank line and the body as received. Values that vary are placeholders:
// `{{volatile}}` (any header value), `{{issuer}}` (scheme://host:port), and in JSON bodies
// `{{string}}`, `{{number}}`, `{{uuid}}`, `{{array}}` and named ones such as `{{user_id}}`, which
// stand for a whole value of a fitting type; a named placeholder must stand for the same value
// wherever it appears in one response. Problems read like `status (500) == 400`: actual first.
import { readFile } from 'node:fs/promises';

export interface Recording {
  file?: string;
  method: string;
  /** The recorded request path (without the query, which the recordings leave out). */
  path: string;
  recordedWith?: string;
  /** For a derived (not recorded) response: the Keycloak source path or document URL it follows. */
  derivedFrom?: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface ActualResponse {
  status: number;
  headers: Headers | Record<string, string>;
  body: string;
}

export interface CompareOptions {
  /** The server's scheme://host:port, for `{{issuer}}`; any origin when absent. */
  issuer?: string;
  /** Headers compared (presence and value); default Location, Content-Type, Cache-Control. */
  headers?: string[];
  /**
   * Whole strings (JSON string values, object keys, path segments of header values) of the
   * recording replaced before comparing, e.g. the realm `master` by `sandbox`.
   */
  substitutions?: Record<string, string>;
  /**
   * How arrays compare. `exact` (default): same length, element by element. `shape`: the actual
   * array may hold other elements, each must have the key set and value types of a recorded
   * element; an element whose `key` property equals a recorded element's is compared in full.
   */
  arrays?: { mode: 'exact' } | { mode: 'shape'; key?: string };
  /** Named placeholder values known in advance, e.g. { user_id: '...' }. */
  bindings?: Record<string, unknown>;
  /** For HTML bodies: texts that must appear in both the recording and the response. */
  htmlTexts?: string[];
}

export function parseRecording(text: string, file?: string): Recording {
  const lines = text.split('\n');
  const first = /^# ([A-Z]+) (\S+)$/.exec(lines[0] ?? '');
  if (!first) throw new Error(`${file ?? 'recording'}: first line is not "# METHOD path"`);
  let i = 1;
  let recordedWith: string | undefined;
  let derivedFrom: string | undefined;
  // Optional comment lines after the request line: `# recorded-with:` (how Keycloak was started) and,
  // in keycloak-reference-derived/, `# derived-from:` (the Keycloak source or document behind it).
  for (;;) {
    if (lines[i]?.startsWith('# recorded-with:')) recordedWith = lines[i++]!.slice('# recorded-with:'.length).trim();
    else if (lines[i]?.startsWith('# derived-from:')) derivedFrom = lines[i++]!.slice('# derived-from:'.length).trim();
    else break;
  }
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[i++] ?? '');
  if (!status) throw new Error(`${file ?? 'recording'}: no status line`);
  const headers: Record<string, string> = {};
  for (; i < lines.length && lines[i] !== ''; i++) {
    const m = /^([^:]+):\s?(.*)$/.exec(lines[i]!);
    if (!m) throw new Error(`${file ?? 'recording'}: bad header line "${lines[i]}"`);
    headers[m[1]!.toLowerCase()] = m[2]!;
  }
  // JSON bodies carry no trailing newline; an empty body leaves only the separator's newline.
  const body = lines.slice(i + 1).join('\n').replace(/\n$/, '');
  return { file, method: first[1]!, path: first[2]!, recordedWith, derivedFrom, status: Number(status[1]), headers, body };
}

export async function loadRecording(file: string): Promise<Recording> {
  return parseRecording(await readFile(file, 'utf8'), file);
}

const DEFAULT_HEADERS = ['Location', 'Content-Type', 'Cache-Control'];
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PLACEHOLDER = /^\{\{([A-Za-z0-9_]+)\}\}$/;

function headerOf(h: ActualResponse['headers'], name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : h[key];
}

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));

/** Every difference between the response and the recording; empty when it conforms. */
export function compareResponse(rec: Recording, actual: ActualResponse, o: CompareOptions = {}): string[] {
  const problems: string[] = [];
  if (actual.status !== rec.status) problems.push(`status (${actual.status}) == ${rec.status}`);
  for (const name of o.headers ?? DEFAULT_HEADERS) {
    const expected = rec.headers[name.toLowerCase()];
    const got = headerOf(actual.headers, name);
    if (expected === undefined || got === undefined) {
      if (expected !== got) problems.push(`header ${name} (${show(got)}) == ${show(expected)}`);
      continue;
    }
    if (!headerPattern(substituteSegments(expected, o.substitutions ?? {}), o.issuer).test(got)) {
      problems.push(`header ${name} (${show(got)}) == ${show(expected)}`);
    }
  }
  problems.push(...compareBody(rec, actual, o));
  return problems;
}

function substituteSegments(value: string, subs: Record<string, string>): string {
  return value
    .split('/')
    .map((seg) => subs[seg] ?? seg)
    .join('/');
}

function headerPattern(expected: string, issuer: string | undefined): RegExp {
  if (expected === '{{volatile}}') return /^[\s\S]*$/;
  const parts = expected.split(/(\{\{[A-Za-z0-9_]+\}\})/);
  const source = parts
    .map((p) => {
      const m = PLACEHOLDER.exec(p);
      if (!m) return escapeRe(p);
      if (m[1] === 'issuer') return issuer ? escapeRe(issuer) : 'https?://[^/]+';
      if (m[1] === 'uuid') return UUID;
      return '[^/?#&;,\\s]+';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compareBody(rec: Recording, actual: ActualResponse, o: CompareOptions): string[] {
  const contentType = rec.headers['content-type'] ?? '';
  if (contentType.startsWith('text/html')) {
    return (o.htmlTexts ?? []).flatMap((t) => {
      if (!rec.body.includes(t)) return [`recording ${rec.file ?? ''} does not contain ${show(t)}`];
      return actual.body.includes(t) ? [] : [`body contains ${show(t)}: no`];
    });
  }
  if (rec.body === '') return actual.body === '' ? [] : [`body (${show(actual.body.slice(0, 200))}) == empty`];
  let expected: unknown;
  try {
    expected = JSON.parse(rec.body);
  } catch {
    return actual.body === rec.body ? [] : [`body (${show(actual.body.slice(0, 200))}) == ${show(rec.body.slice(0, 200))}`];
  }
  let got: unknown;
  try {
    got = JSON.parse(actual.body);
  } catch {
    return [`body is not JSON: ${show(actual.body.slice(0, 200))}`];
  }
  const out: string[] = [];
  compareJson(expected, got, '$', { ...o, bindings: { ...o.bindings } }, out);
  return out;
}

type Ctx = CompareOptions & { bindings: Record<string, unknown> };

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function compareJson(expected: unknown, got: unknown, path: string, c: Ctx, out: string[]): void {
  if (typeof expected === 'string') {
    const m = PLACEHOLDER.exec(expected);
    if (m) return comparePlaceholder(m[1]!, got, path, c, out);
    const want = c.substitutions?.[expected] ?? expected;
    if (got !== want) out.push(`${path} (${show(got)}) == ${show(want)}`);
    return;
  }
  if (typeOf(expected) !== typeOf(got)) {
    out.push(`${path} type (${typeOf(got)}) == ${typeOf(expected)}`);
    return;
  }
  if (Array.isArray(expected)) return compareArray(expected, got as unknown[], path, c, out);
  if (typeOf(expected) === 'object') return compareObject(expected as Record<string, unknown>, got as Record<string, unknown>, path, c, out);
  if (expected !== got) out.push(`${path} (${show(got)}) == ${show(expected)}`);
}

function comparePlaceholder(name: string, got: unknown, path: string, c: Ctx, out: string[]): void {
  const want: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    number: (v) => typeof v === 'number',
    array: (v) => Array.isArray(v),
    uuid: (v) => typeof v === 'string' && new RegExp(`^${UUID}$`).test(v),
    // Only produced by shape comparison; recordings write booleans literally.
    boolean: (v) => typeof v === 'boolean',
  };
  const check = want[name];
  if (check) {
    if (!check(got)) out.push(`${path} (${show(got)}) == {{${name}}}`);
    return;
  }
  // A named value: a scalar, the same one at every place the name appears.
  if (typeof got !== 'string' && typeof got !== 'number') {
    out.push(`${path} (${show(got)}) == {{${name}}}`);
    return;
  }
  if (name in c.bindings) {
    if (c.bindings[name] !== got) out.push(`${path} (${show(got)}) == {{${name}}} (${show(c.bindings[name])})`);
  } else c.bindings[name] = got;
}

function compareObject(expected: Record<string, unknown>, got: Record<string, unknown>, path: string, c: Ctx, out: string[]): void {
  const subs = c.substitutions ?? {};
  const wantKeys = Object.keys(expected).map((k) => subs[k] ?? k);
  const gotKeys = Object.keys(got);
  const missing = wantKeys.filter((k) => !gotKeys.includes(k));
  const extra = gotKeys.filter((k) => !wantKeys.includes(k));
  if (missing.length) out.push(`${path} missing keys ${missing.join(', ')}`);
  if (extra.length) out.push(`${path} unexpected keys ${extra.join(', ')}`);
  for (const [k, v] of Object.entries(expected)) {
    const key = subs[k] ?? k;
    if (key in got) compareJson(v, got[key], `${path}.${key}`, c, out);
  }
}

function compareArray(expected: unknown[], got: unknown[], path: string, c: Ctx, out: string[]): void {
  const mode = c.arrays ?? { mode: 'exact' };
  if (mode.mode === 'exact') {
    if (expected.length !== got.length) out.push(`${path} length (${got.length}) == ${expected.length}`);
    for (let i = 0; i < Math.min(expected.length, got.length); i++) compareJson(expected[i], got[i], `${path}[${i}]`, c, out);
    return;
  }
  if (expected.length > 0 && got.length === 0) out.push(`${path} length (0) > 0`);
  got.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const keyed = mode.key && typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[mode.key] : undefined;
    const twin = keyed === undefined ? undefined : expected.find((e) => typeof e === 'object' && e !== null && (c.substitutions?.[String((e as Record<string, unknown>)[mode.key!])] ?? (e as Record<string, unknown>)[mode.key!]) === keyed);
    if (twin !== undefined) return compareJson(twin, item, p, c, out);
    // No recorded twin: it must look like one of the recorded elements (keys and value types).
    const shapes = expected.map((e) => {
      const probe: string[] = [];
      compareJson(shapeOf(e), item, p, { ...c, bindings: {} }, probe);
      return probe;
    });
    const best = shapes.sort((a, b) => a.length - b.length)[0];
    if (best?.length) out.push(...best);
  });
}

/** The recorded value with every fixed scalar turned into a type placeholder. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return '{{array}}';
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)]));
  if (typeof v === 'string') return ['{{number}}', '{{array}}'].includes(v) ? v : '{{string}}';
  if (typeof v === 'number') return '{{number}}';
  if (typeof v === 'boolean') return '{{boolean}}';
  return v;
}
