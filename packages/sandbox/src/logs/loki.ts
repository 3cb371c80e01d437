// A Loki-compatible query API over the sandbox's own log lines (LogRing), so onramp's log collector
// reads a running sandbox exactly as it reads a production Loki: `GET /loki/api/v1/query_range`
// with a LogQL log query, answered in Loki's documented streams format
// (`{status: "success", data: {resultType: "streams", result: [{stream, values: [[ns, line]]}], stats}}`).
//
// The LogQL understood is the log-query subset a triager types: a stream selector of label
// matchers (`=`, `!=`, `=~`, `!~`) over the lines' `service` label, line filters (`|=`, `!=`,
// `|~`, `!~`), the `json` parser (nested keys joined by `_`, as Loki does), and label filters
// (`| name="value"`, with the same four operators). Metric queries and other parsers are refused
// with 400, as Loki refuses what it cannot parse. Parameters as Loki's: start and end (ns,
// seconds or RFC3339; default the last hour; end excluded), `since`, limit (default 100) and
// direction (backward by default).
import { ApiError } from '../platform/http/errors.ts';
import type { ApiRequest, ApiResponse } from '../platform/http/request.ts';
import type { ExtraRoute } from '../platform/server.ts';
import type { LogEntry, LogRing } from './ring.ts';

export const LOKI_QUERY_RANGE_PATH = '/loki/api/v1/query_range';

type Op = '=' | '!=' | '=~' | '!~';
interface Matcher { label: string; op: Op; value: string }
type Stage = { kind: 'json' } | { kind: 'line'; op: '|=' | '!=' | '|~' | '!~'; value: string } | { kind: 'label'; matcher: Matcher };
export interface LogQuery { selector: Matcher[]; stages: Stage[] }

export class LogQLError extends Error {}

/** Parses the log-query subset described above; throws LogQLError naming the position. */
export function parseLogQL(text: string): LogQuery {
  let i = 0;
  const fail = (what: string): never => {
    throw new LogQLError(`parse error at col ${i + 1}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const ident = () => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!m) fail('expected a label name');
    i += m![0].length;
    return m![0];
  };
  const str = () => {
    ws();
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) fail('unterminated raw string');
      const v = text.slice(i + 1, end);
      i = end + 1;
      return v;
    }
    if (text[i] !== '"') fail('expected a string');
    const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
    if (!m) fail('unterminated string');
    i += m![0].length;
    try {
      return JSON.parse(m![0]) as string;
    } catch {
      return fail('bad escape in string');
    }
  };
  const op = (): Op => {
    ws();
    for (const o of ['=~', '!~', '!=', '='] as const) if (text.startsWith(o, i)) return (i += o.length), o;
    return fail('expected =, !=, =~ or !~');
  };
  const matcher = (): Matcher => {
    const label = ident();
    const o = op();
    const value = str();
    if (o === '=~' || o === '!~') regex(value);
    return { label, op: o, value };
  };
  const regex = (v: string) => {
    try {
      return new RegExp(`^(?:${v})$`);
    } catch {
      return fail(`invalid regular expression ${JSON.stringify(v)}`);
    }
  };

  ws();
  if (text[i] !== '{') fail('a log query starts with a stream selector {label="value"}');
  i++;
  const selector: Matcher[] = [];
  for (;;) {
    selector.push(matcher());
    ws();
    if (text[i] === ',') { i++; continue; }
    if (text[i] === '}') { i++; break; }
    fail('expected , or }');
  }
  if (!selector.some((m) => (m.op === '=' && m.value !== '') || (m.op === '=~' && !regex(m.value).test('')))) {
    fail('queries require at least one matcher that does not match the empty string');
  }
  const stages: Stage[] = [];
  for (;;) {
    ws();
    if (i >= text.length) break;
    const line = (['|=', '!=', '|~', '!~'] as const).find((o) => text.startsWith(o, i));
    if (line) {
      i += 2;
      const value = str();
      if (line === '|~' || line === '!~') regex(value);
      stages.push({ kind: 'line', op: line, value });
      continue;
    }
    if (text[i] !== '|') fail('expected a pipeline stage');
    i++;
    ws();
    const save = i;
    const name = ident();
    ws();
    if (name === 'json' && (i >= text.length || text[i] === '|' || text[i] === '!')) {
      stages.push({ kind: 'json' });
      continue;
    }
    if (!/^(=|!=|=~|!~)/.test(text.slice(i))) fail(`unsupported pipeline stage "${name}" (this Loki understands json, line filters and label filters)`);
    i = save;
    stages.push({ kind: 'label', matcher: matcher() });
  }
  return { selector, stages };
}

const test = (m: Pick<Matcher, 'op' | 'value'>, actual: string) =>
  m.op === '=' ? actual === m.value : m.op === '!=' ? actual !== m.value : new RegExp(`^(?:${m.value})$`).test(actual) === (m.op === '=~');

/** Loki's json parser: nested keys joined by `_`, values as text, arrays skipped. */
function jsonLabels(fields: Record<string, unknown>, into: Record<string, string>, prefix = ''): void {
  for (const [k, v] of Object.entries(fields)) {
    const name = `${prefix}${k.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (v === null || v === undefined || Array.isArray(v)) continue;
    if (typeof v === 'object') jsonLabels(v as Record<string, unknown>, into, `${name}_`);
    else if (name in into) into[`${name}_extracted`] = String(v);
    else into[name] = String(v);
  }
}

/** The stream labels of a line (its indexed labels): the service it came from. */
const streamLabels = (e: LogEntry): Record<string, string> => (typeof e.fields?.service === 'string' ? { service: e.fields.service } : {});

/** The labels a line carries after the pipeline, or undefined when a stage drops it. */
export function evaluate(q: LogQuery, e: LogEntry): Record<string, string> | undefined {
  const labels = streamLabels(e);
  if (!q.selector.every((m) => test(m, labels[m.label] ?? ''))) return undefined;
  for (const s of q.stages) {
    if (s.kind === 'json') {
      if (e.fields) jsonLabels(e.fields, labels);
      else labels.__error__ = 'JSONParserErr';
    } else if (s.kind === 'line') {
      const hit = s.op === '|=' || s.op === '!=' ? e.line.includes(s.value) : new RegExp(s.value).test(e.line);
      if (hit !== (s.op === '|=' || s.op === '|~')) return undefined;
    } else if (!test(s.matcher, labels[s.matcher.label] ?? '')) return undefined;
  }
  return labels;
}

/** Loki's time parameters: integer nanoseconds, float seconds, or RFC3339. */
export function parseLokiTime(v: string, name: string): bigint {
  if (/^\d+$/.test(v)) return v.length > 12 ? BigInt(v) : BigInt(v) * 1_000_000_000n;
  if (/^\d+\.\d+$/.test(v)) return BigInt(Math.round(Number(v) * 1e6)) * 1_000n;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new ApiError(400, 'bad_data', `invalid parameter "${name}": cannot parse "${v}" to a valid timestamp`);
  return BigInt(ms) * 1_000_000n;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_NS: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

export function queryRange(ring: LogRing, params: URLSearchParams, nowMs = Date.now()): ApiResponse {
  const started = performance.now();
  const query = params.get('query');
  if (!query) throw new ApiError(400, 'bad_data', 'invalid parameter "query": empty');
  let q: LogQuery;
  try {
    q = parseLogQL(query);
  } catch (err) {
    if (err instanceof LogQLError) throw new ApiError(400, 'bad_data', err.message);
    throw err;
  }
  const now = BigInt(nowMs) * 1_000_000n;
  const end = params.get('end') ? parseLokiTime(params.get('end')!, 'end') : now;
  const since = params.get('since');
  let sinceNs = 3_600_000_000_000n;
  if (since) {
    const m = DURATION.exec(since);
    if (!m) throw new ApiError(400, 'bad_data', `invalid parameter "since": cannot parse "${since}" to a duration`);
    sinceNs = BigInt(m[1]!) * UNIT_NS[m[2]!]!;
  }
  const start = params.get('start') ? parseLokiTime(params.get('start')!, 'start') : end - sinceNs;
  if (end < start) throw new ApiError(400, 'bad_data', 'the end timestamp must not be before the start time');
  const limit = params.get('limit') === null ? 100 : Number(params.get('limit'));
  if (!Number.isInteger(limit) || limit <= 0) throw new ApiError(400, 'bad_data', `invalid parameter "limit": must be a positive integer`);
  const direction = (params.get('direction') ?? 'backward').toLowerCase();
  if (direction !== 'backward' && direction !== 'forward') throw new ApiError(400, 'bad_data', `invalid parameter "direction": must be forward or backward`);

  const scanned = ring.between(start, end);
  const matched: { e: LogEntry; labels: Record<string, string> }[] = [];
  for (const e of direction === 'forward' ? scanned : [...scanned].reverse()) {
    const labels = evaluate(q, e);
    if (labels) matched.push({ e, labels });
    if (matched.length >= limit) break;
  }
  // One stream per distinct label set, as Loki groups them; labels in name order.
  const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
  for (const { e, labels } of matched) {
    const stream = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    const key = JSON.stringify(stream);
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { stream, values: [] }));
    s.values.push([String(e.ns), e.line]);
  }
  const bytes = scanned.reduce((n, e) => n + Buffer.byteLength(e.line), 0);
  const execTime = (performance.now() - started) / 1000;
  return {
    status: 200,
    body: {
      status: 'success',
      data: {
        resultType: 'streams',
        result: [...streams.values()],
        stats: { summary: { bytesProcessedPerSecond: execTime ? Math.round(bytes / execTime) : 0, linesProcessedPerSecond: execTime ? Math.round(scanned.length / execTime) : 0, totalBytesProcessed: bytes, totalLinesProcessed: scanned.length, execTime, totalEntriesReturned: matched.length } },
      },
    },
  };
}

/** The route on the platform's listener (no token: Loki's API leaves authentication to a proxy). */
export function lokiRoutes(ring: LogRing): ExtraRoute[] {
  return [{ method: 'GET', path: LOKI_QUERY_RANGE_PATH, handler: async (r: ApiRequest) => queryRange(ring, r.url.searchParams) }];
}
