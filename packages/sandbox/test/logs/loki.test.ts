// The sandbox's Loki-compatible API (src/logs/loki.ts) over its own log lines, checked against
// Loki's documented query_range answer (HTTP API reference, "Query logs within a range of time":
// `{status: "success", data: {resultType: "streams", result: [{stream: {label: value}, values:
// [["<ns since epoch>", "<log line>"]]}], stats}}`), and the LogQL onramp's collector sends:
// `{service="gpuaas-api"} | json | correlation_id="..."`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import pino from 'pino';
import { LogRing } from '../../src/logs/ring.ts';
import { lokiRoutes, parseLogQL, LogQLError } from '../../src/logs/loki.ts';
import { createPlatformListener, listen, type RunningPlatform } from '../../src/platform/server.ts';
import { FaultSet } from '../../src/faults/fault-set.ts';
import type { PlatformContext } from '../../src/platform/context.ts';

/** Loki's documented streams answer, as a schema. */
const STREAMS_ANSWER = {
  type: 'object',
  required: ['status', 'data'],
  properties: {
    status: { const: 'success' },
    data: {
      type: 'object',
      required: ['resultType', 'result'],
      properties: {
        resultType: { const: 'streams' },
        result: {
          type: 'array',
          items: {
            type: 'object',
            required: ['stream', 'values'],
            additionalProperties: false,
            properties: {
              stream: { type: 'object', additionalProperties: { type: 'string' } },
              values: { type: 'array', items: { type: 'array', prefixItems: [{ type: 'string', pattern: '^[0-9]{19}$' }, { type: 'string' }], minItems: 2, maxItems: 2 } },
            },
          },
        },
        stats: { type: 'object' },
      },
    },
  },
};
const validate = new Ajv2020({ strict: false }).compile(STREAMS_ANSWER);

const A = '0b7f6a8e-4f7e-4c1e-9a55-5d3f2b1c9e01';
const B = '5d0c9a61-3e0f-4a8b-b0a2-8e2f1f3c4d55';
const T0 = 1_796_073_512_000;
const ring = new LogRing();
const log = pino({ base: undefined, timestamp: false }, ring);
let server: RunningPlatform;
const at = (ms: number, fields: Record<string, unknown>, msg = 'request') => ring.add(JSON.stringify({ level: 30, time: ms, ...fields, msg }));

beforeAll(async () => {
  at(T0, { service: 'gpuaas-api', correlation_id: A, method: 'POST', path: '/api/v1/auth/personal/signup', status: 201, user_id: 'u-1' });
  at(T0 + 1, { service: 'gpuaas-api', correlation_id: B, method: 'GET', path: '/api/v1/projects', status: 400, code: 'invalid_request', user_id: 'u-1' });
  at(T0 + 2, { service: 'gpuaas-api', correlation_id: A, level: 50, err: { message: 'boom' } }, 'signup compensation failed');
  at(T0 + 3, { service: 'gpuaas-worker', correlation_id: A }, 'reconciliation');
  ring.add('plain text, not JSON');
  log.info({ service: 'gpuaas-api', correlation_id: B }, 'through pino');
  const ctx = { faults: new FaultSet([]), log: pino({ level: 'silent' }), service: 'gpuaas-api' } as unknown as PlatformContext;
  server = await listen(createPlatformListener(ctx, lokiRoutes(ring)));
});
afterAll(() => server?.close());

async function queryRange(params: Record<string, string>) {
  const res = await fetch(`${server.url}/loki/api/v1/query_range?${new URLSearchParams(params)}`);
  return { status: res.status, body: (await res.json()) as any };
}
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const window = { start: ns(T0 - 1000), end: ns(T0 + 60_000) };

describe("the sandbox's Loki query_range", () => {
  it("answers the collector's query in Loki's documented streams format: the id's lines, oldest first with direction=forward", async () => {
    const { status, body } = await queryRange({ query: `{service="gpuaas-api"} | json | correlation_id="${A}"`, ...window, limit: '200', direction: 'forward' });
    expect(status).toBe(200);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    const values = body.data.result.flatMap((s: { values: [string, string][] }) => s.values).sort(([a]: [string], [b]: [string]) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(values.map(([, line]: [string, string]) => JSON.parse(line).msg)).toEqual(['request', 'signup compensation failed']);
    expect(values[0][0]).toBe(ns(T0));
    // `| json` adds the line's fields to the stream labels, nested keys joined by `_`, as Loki does.
    const errStream = body.data.result.find((s: { stream: Record<string, string> }) => s.stream.err_message);
    expect(errStream.stream).toMatchObject({ service: 'gpuaas-api', correlation_id: A, err_message: 'boom', level: '50' });
  });

  it('answers lines written through pino, the platform logger, with a nanosecond timestamp', async () => {
    const { body } = await queryRange({ query: `{service="gpuaas-api"} | json | correlation_id="${B}"`, since: '1h' });
    expect(validate(body)).toBe(true);
    expect(body.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => JSON.parse(v[1]!).msg))).toEqual(['through pino']);
  });

  it('reads the window, the limit and the direction as Loki does (backward by default, end excluded)', async () => {
    const lines = async (p: Record<string, string>) => (await queryRange({ query: '{service=~"gpuaas-.*"}', ...p })).body.data.result.flatMap((s: { values: string[][] }) => s.values.map((v) => v[0]));
    expect(await lines({ ...window, limit: '2' })).toEqual([ns(T0 + 3), ns(T0 + 2)]);
    expect(await lines({ ...window, limit: '2', direction: 'forward' })).toEqual([ns(T0), ns(T0 + 1)]);
    expect(await lines({ start: ns(T0 + 1), end: ns(T0 + 3), direction: 'forward' })).toEqual([ns(T0 + 1), ns(T0 + 2)]);
    // Seconds and RFC3339 are accepted too.
    expect(await lines({ start: `${T0 / 1000}`, end: new Date(T0 + 2).toISOString(), direction: 'forward' })).toEqual([ns(T0), ns(T0 + 1)]);
  });

  it('applies line filters and label filters with all four operators', async () => {
    const count = async (query: string) => (await queryRange({ query, ...window })).body.data.result.reduce((n: number, s: { values: unknown[] }) => n + s.values.length, 0);
    expect(await count('{service="gpuaas-api"} |= "compensation"')).toBe(1);
    expect(await count('{service="gpuaas-api"} != "compensation" | json | status="400"')).toBe(1);
    expect(await count('{service="gpuaas-api"} | json | code=~"invalid_.*"')).toBe(1);
    expect(await count('{service!="gpuaas-api", service=~"gpuaas-.+"}')).toBe(1);
    expect(await count('{service="gpuaas-api"} | json | user_id!="u-1"')).toBe(1);
    expect(await count('{service="gpuaas-api"} |~ "POST|GET" !~ "projects"')).toBe(1);
  });

  it.each([
    ['', /"query": empty/],
    ['service="gpuaas-api"', /parse error .*stream selector/],
    ['{service=""}', /at least one matcher that does not match the empty string/],
    ['{service="gpuaas-api"} | logfmt', /unsupported pipeline stage "logfmt"/],
    ['rate({service="gpuaas-api"}[5m])', /parse error/],
    ['{service="gpuaas-api"', /expected , or \}/],
  ])('refuses %j with 400 and says why', async (query, why) => {
    const { status, body } = await queryRange({ query });
    expect(status).toBe(400);
    expect(body.message).toMatch(why);
  });

  it('refuses bad parameters with 400', async () => {
    expect((await queryRange({ query: '{service="x"}', limit: '-1' })).status).toBe(400);
    expect((await queryRange({ query: '{service="x"}', direction: 'sideways' })).status).toBe(400);
    expect((await queryRange({ query: '{service="x"}', start: 'yesterday' })).status).toBe(400);
    expect((await queryRange({ query: '{service="x"}', start: ns(T0 + 10), end: ns(T0) })).status).toBe(400);
  });

  it('parses raw strings and escapes', () => {
    expect(parseLogQL('{service=`a"b`} | json | correlation_id="x\\"y"')).toEqual({
      selector: [{ label: 'service', op: '=', value: 'a"b' }],
      stages: [{ kind: 'json' }, { kind: 'label', matcher: { label: 'correlation_id', op: '=', value: 'x"y' } }],
    });
    expect(() => parseLogQL('{service=~"("}')).toThrow(LogQLError);
  });

  it('keeps the newest lines only, up to its capacity', () => {
    const small = new LogRing(3);
    for (let i = 0; i < 5; i++) small.add(JSON.stringify({ time: T0 + i, i }));
    expect(small.between(0n, BigInt(T0 + 10) * 1_000_000n).map((e) => e.fields?.i)).toEqual([2, 3, 4]);
  });
});
