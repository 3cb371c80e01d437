// The monitor's HTTP endpoints: content negotiation on /metrics, liveness, readiness with reasons,
// /api/runs filters (bad ones named, 400), and unknown paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHistory, type HistoryStore } from '../../src/monitor/history.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { startServer } from '../../src/monitor/server.ts';
import { renderStatusPage } from '../../src/monitor/status-page.ts';
import { validateRuns } from '../support/runs-schema.ts';

const store = new MemoryHistory(10);
let running = true;
let broken = false;
// The memory store, with a ping that fails on demand (a database gone away).
const flaky: HistoryStore = {
  kind: 'memory',
  add: (r) => store.add(r),
  list: (q) => store.list(q),
  uptime: (since) => store.uptime(since),
  prune: () => store.prune(),
  close: () => store.close(),
  ping: async () => {
    if (broken) throw new Error('connection refused');
  },
};
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  for (const [i, journey, outcome] of [[1, 'a', 'passed'], [2, 'b', 'failed'], [3, 'a', 'failed']] as const) {
    await store.add({ runId: `r${i}`, journey, location: '', outcome, startedAt: '2026-11-30T12:00:00Z', finishedAt: '2026-11-30T12:00:01Z', durationMs: 1000, steps: [{ name: 's', status: outcome, durationMs: 5, ...(outcome === 'failed' ? { code: 'x', correlationId: `c${i}` } : {}) }] });
  }
  server = await startServer({ metrics: new MonitorMetrics({ processMetrics: false }), store: flaky, journeys: [{ id: 'a', title: 'A', schedule: '30s' }, { id: 'b', title: 'B', schedule: '1m' }], isRunning: () => running, busy: () => [], refreshSeconds: 5 }, '127.0.0.1', 0);
});
afterAll(() => server.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('monitor HTTP server', () => {
  it.each([
    [{}, /^text\/plain; version=0\.0\.4/],
    [{ accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' }, /^text\/plain; version=0\.0\.4/],
    [{ accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' }, /^application\/openmetrics-text; version=1\.0\.0/],
  ])('/metrics with Accept %j answers %s', async (headers, type) => {
    const res = await get('/metrics', headers);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(type);
  });

  it('/healthz answers while alive', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
  });

  it('/readyz says why it is not ready', async () => {
    expect(await get('/readyz')).toMatchObject({ status: 200, text: '{"status":"ready"}' });
    running = false;
    broken = true;
    const res = await get('/readyz');
    running = true;
    broken = false;
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toEqual({ status: 'not ready', problems: ['the scheduler is not running', 'the memory history store does not answer: connection refused'] });
  });

  it.each([
    ['', ['r3', 'r2', 'r1']],
    ['?journey=a', ['r3', 'r1']],
    ['?status=failed', ['r3', 'r2']],
    ['?outcome=failed', ['r3', 'r2']],
    ['?journey=a&status=failed&limit=1', ['r3']],
  ])('/api/runs%s', async (query, ids) => {
    const res = await get(`/api/runs${query}`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text).runs as { run_id: string }[]).map((r) => r.run_id)).toEqual(ids);
  });

  it('/api/runs answers with results.json\'s field names; a record from before step ids gets its title\'s', async () => {
    const answer = JSON.parse((await get('/api/runs')).text);
    expect(await validateRuns(answer)).toEqual([]);
    const [run] = JSON.parse((await get('/api/runs?journey=a&limit=1')).text).runs;
    expect(run).toEqual({ run_id: 'r3', journey: 'a', location: '', status: 'failed', started_at: '2026-11-30T12:00:00Z', finished_at: '2026-11-30T12:00:01Z', duration_ms: 1000, steps: [{ id: 's', name: 's', status: 'failed', duration_ms: 5, code: 'x', message: null, correlation_id: 'c3' }] });
  });

  it('/api/runs names every bad filter', async () => {
    const res = await get('/api/runs?journey=zz&outcome=meh&limit=0');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({
      error: 'invalid_request',
      problems: ['journey: no journey "zz" (known: a, b)', 'outcome: must be one of passed, failed, flaky, error, skipped, interrupted, got "meh"', 'limit: expected a whole number from 1 to 1000, got "0"'],
    });
  });

  it('the status page escapes what it shows and unknown paths are 404', async () => {
    await store.add({ runId: 'r4', journey: 'b', location: '', outcome: 'failed', startedAt: '2026-11-30T12:00:00Z', finishedAt: '2026-11-30T12:00:01Z', durationMs: 1, steps: [{ name: '<script>x</script>', status: 'failed', durationMs: 1, code: 'c', correlationId: 'c4' }] });
    const page = await get('/');
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toContain('&#60;script&#62;x&#60;/script&#62;');
    // The one script is the page's own (copy buttons).
    expect(page.text.split('<script>')).toHaveLength(2);
    expect(page.text).toContain('<script>for(const b of document.querySelectorAll(\'button.copy\'))');
    expect((await get('/nope')).status).toBe(404);
  });
});

describe('the status page header', () => {
  it.each([
    [{ name: 'staging', apiUrl: 'https://api.staging.example.test', embedded: false }, 'against target <strong>staging</strong> &middot; <code>https://api.staging.example.test</code>'],
    [{ name: 'sandbox', apiUrl: 'http://127.0.0.1:4711', embedded: true }, 'against <strong>the embedded sandbox</strong>: a demo platform inside this monitor, not a real one &middot; <code>http://127.0.0.1:4711</code>'],
    [{ name: '<b>x</b>', apiUrl: 'http://a', embedded: false }, 'against target <strong>&#60;b&#62;x&#60;/b&#62;</strong>'],
  ])('names the target %j', (target, says) => {
    const html = renderStatusPage({ journeys: [], target, refreshSeconds: 5, now: new Date(0), artifactUrl: () => undefined });
    expect(/<header>(.*)<\/header>/s.exec(html)?.[1]).toContain(says);
  });
});

describe('/readyz with a buffering history store', () => {
  it('answers 200 "degraded" with the reason while the database is away (the canary still checks), 503 only when the scheduler stops', async () => {
    const { BufferedHistory } = await import('../../src/monitor/buffered-history.ts');
    let down = true;
    const pgLike: HistoryStore = { ...flaky, kind: 'postgres', add: async () => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : undefined), ping: async () => (down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : undefined) };
    const history = new BufferedHistory(pgLike, { retryMs: 60_000 });
    let up = true;
    let claims: { state: 'ok' | 'local'; reason?: string } = { state: 'local', reason: 'connect ECONNREFUSED 127.0.0.1:5432' };
    const srv = await startServer({ metrics: new MonitorMetrics({ processMetrics: false }), store: history, history, claims: () => claims, journeys: [], isRunning: () => up, busy: () => [], refreshSeconds: 5 }, '127.0.0.1', 0);
    try {
      await history.add({ runId: 'r9', journey: 'a', location: '', outcome: 'passed', startedAt: '2026-11-30T12:00:00Z', finishedAt: '2026-11-30T12:00:01Z', durationMs: 1, steps: [] });
      const res = await fetch(`${srv.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'degraded',
        degraded: [
          'the postgres history store does not answer (connect ECONNREFUSED 127.0.0.1:5432): 1 runs buffered; journeys keep running',
          'tick claims do not reach the database (connect ECONNREFUSED 127.0.0.1:5432): this replica runs its ticks without a claim, other replicas may run them too',
        ],
        history: { state: 'degraded', reason: 'connect ECONNREFUSED 127.0.0.1:5432', since: expect.any(String), buffered: 1, dropped: 0 },
      });
      up = false;
      expect((await fetch(`${srv.url}/readyz`)).status).toBe(503);
      up = true;
      down = false;
      claims = { state: 'ok' };
      // The probe's ping finds the store back and writes the buffer.
      expect(await (await fetch(`${srv.url}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(history.health()).toEqual({ state: 'ok', buffered: 0, dropped: 0 });
    } finally {
      await srv.close();
      await history.drain();
    }
  });
});
