// The Loki collector against a local HTTP server that answers in Loki's documented query_range
// format (`{status, data: {resultType: "streams", result: [{stream, values: [[ns, line]]}]}}`).
// No Loki runs here (Debian's `loki` package is an unrelated tool; no Docker), so the server
// stands in for one: the test pins the request onramp sends and how it reads the answer.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLogs } from '../../src/triage/collectors/logs.ts';
import { grafanaExploreUrl, logQuery } from '../../src/failures/log-search.ts';

const ID = '0b7f6a8e-4f7e-4c1e-9a55-5d3f2b1c9e01';
let server: Server;
let base: string;
const seen: URL[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(new URL(req.url!, 'http://loki'));
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const line = (ts: string, status: number) => [ts, JSON.stringify({ service: 'gpuaas-api', correlation_id: ID, method: 'GET', path: '/api/v1/instances', status, level: 30 })];

describe('Loki collector', () => {
  it("sends the runbook's LogQL to /loki/api/v1/query_range and returns the lines of every stream in time order", async () => {
    answer = {
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'streams',
          result: [
            { stream: { service: 'gpuaas-api', pod: 'api-1' }, values: [line('1796073512000000002', 403)] },
            { stream: { service: 'gpuaas-api', pod: 'api-0' }, values: [line('1796073512000000001', 200), ['1796073512000000003', 'not json']] },
          ],
          stats: {},
        },
      },
    };
    seen.length = 0;
    const logs = await collectLogs({ service: 'gpuaas-api', lokiUrl: `${base}/` }, ID, { startMs: 1_796_073_000_000, endMs: 1_796_074_000_000 });
    expect(seen.map((u) => u.pathname)).toEqual(['/loki/api/v1/query_range']);
    expect(Object.fromEntries(seen[0]!.searchParams)).toEqual({ query: `{service="gpuaas-api"} | json | correlation_id="${ID}"`, start: '1796073000000000000', end: '1796074000000000000', limit: '200', direction: 'forward' });
    expect(logs.query).toBe(logQuery('gpuaas-api', ID));
    expect(logs.lines.available && logs.lines.from).toBe(`loki ${base}/`);
    expect(logs.lines.available && logs.lines.lines.map((l) => l.status ?? l.line)).toEqual([200, 403, 'not json']);
  });

  it('uses the configured service name in the query', async () => {
    answer = { status: 200, body: { status: 'success', data: { resultType: 'streams', result: [] } } };
    seen.length = 0;
    const logs = await collectLogs({ service: 'platform-api', lokiUrl: base }, ID, { startMs: 0, endMs: 1 });
    expect(seen[0]!.searchParams.get('query')).toBe(`{service="platform-api"} | json | correlation_id="${ID}"`);
    expect(logs.lines).toEqual({ available: true, from: `loki ${base}`, lines: [] });
  });

  it.each([
    [{ status: 400, body: { message: 'parse error at line 1' } }, /Loki query_range at .* failed: Loki answered 400: .*parse error/],
    [{ status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } }, /not a streams result \(status success, resultType matrix\)/],
  ])('says why the lines are unavailable when Loki answers %j', async (a, reason) => {
    answer = a;
    const logs = await collectLogs({ service: 'gpuaas-api', lokiUrl: base }, ID, { startMs: 0, endMs: 1 });
    expect(logs.lines.available).toBe(false);
    expect(!logs.lines.available && logs.lines.reason).toMatch(reason);
  });

  it('says why when no Loki answers at all, and when none is configured', async () => {
    const down = await collectLogs({ service: 'gpuaas-api', lokiUrl: 'http://127.0.0.1:1' }, ID, { startMs: 0, endMs: 1 });
    expect(!down.lines.available && down.lines.reason).toMatch(/^Loki query_range at http:\/\/127\.0\.0\.1:1 failed: .*ECONNREFUSED/);
    const none = await collectLogs({ service: 'gpuaas-api' }, ID, { startMs: 0, endMs: 1 });
    expect(!none.lines.available && none.lines.reason).toMatch(/no Loki URL is configured/);
  });

  it('builds a Grafana Explore link holding the query', () => {
    const url = new URL(grafanaExploreUrl('https://grafana.example.test/', logQuery('gpuaas-api', ID), 'loki-prod'));
    expect(url.origin + url.pathname).toBe('https://grafana.example.test/explore');
    const panes = JSON.parse(url.searchParams.get('panes')!);
    expect(panes.a.queries[0]).toMatchObject({ expr: `{service="gpuaas-api"} | json | correlation_id="${ID}"`, datasource: { type: 'loki', uid: 'loki-prod' } });
  });
});
