// The monitor keeps checking while its history database is away: a real PostgreSQL 15 is stopped
// for 30 s under a running monitor. Journeys keep running on schedule (ticks this replica cannot
// claim run here, counted), metrics keep updating, /readyz answers 200 "degraded" with the reason,
// and once the database is back every run of the outage is in the history. The buffer's bound is
// pinned too: what does not fit is dropped oldest first and counted.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { defineJourney, idp } from '../../src/engine/journey.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import type { IdpStep } from '../../src/engine/journey.ts';
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import { PgHistory } from '../../src/monitor/pg-history.ts';
import { leasedClaims } from '../../src/monitor/run-lease.ts';
import { MemoryHistory, type HistoryStore, type RunRecord } from '../../src/monitor/history.ts';
import { BufferedHistory } from '../../src/monitor/buffered-history.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { startMonitor, type RunningMonitor } from '../../src/monitor/monitor.ts';
import { startRestartablePostgres, type RestartablePostgres } from './restartable-postgres.ts';

const target: Target = {
  name: 'scripted',
  apiUrl: 'http://127.0.0.1:9',
  idpUrl: 'http://127.0.0.1:9',
  realm: 'r',
  loginClient: { clientId: 'c' },
  adminClient: { clientId: 'a', clientSecret: secret('s') },
  systemAdmin: { username: 'u', password: secret('p') },
  production: false,
};

// Scripted fast journeys: one step each, a few milliseconds, every run's id noted with its time.
const ran: { runId: string; journey: string; at: number }[] = [];
const scripted: StepExecutor<IdpStep> = {
  kind: 'idp',
  async run(step, ctx) {
    await step.run(undefined as never, ctx);
  },
};
const journey = (id: string) =>
  defineJourney({
    id,
    title: id,
    steps: [
      idp('check', {
        run: async (_kc, ctx) => {
          await sleep(20);
          ran.push({ runId: ctx.runId, journey: ctx.journeyId, at: Date.now() });
        },
      }),
    ],
  });

let db: RestartablePostgres | undefined;
let monitor: RunningMonitor | undefined;
let store: PgHistory | undefined;
afterAll(async () => {
  await monitor?.stop();
  await store?.close();
  await db?.remove();
});

const metric = (text: string, name: string) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);

describe('the monitor while its history database is down', () => {
  it('keeps running journeys for 30 s, reports degraded, and writes every run of the outage when the database is back', async () => {
    db = await startRestartablePostgres();
    store = await PgHistory.open(db.url, 'outage');
    const lines: string[] = [];
    const pgStore = store;
    monitor = await startMonitor({
      journeys: ['canary-a', 'canary-b'].map((id) => ({ journey: journey(id), schedule: { kind: 'interval', everyMs: 1_000, text: '1s' }, jitterMs: 0 })),
      target,
      executors: [scripted as StepExecutor],
      settings: { concurrency: 4, browserConcurrency: 1, runTimeoutMs: 10_000, graceMs: 5_000, retentionMs: 86_400_000, location: 'outage', claimTimeoutMs: 1_000 },
      store: pgStore,
      // As `onramp monitor` claims: the tick's row and the journey's run lease.
      claim: leasedClaims(pgStore, { log: (l) => lines.push(l) }),
      metrics: new MonitorMetrics({ processMetrics: false, location: 'outage' }),
      host: '127.0.0.1',
      port: 0,
      log: (l) => lines.push(l),
    });
    const get = async (path: string) => {
      const res = await fetch(monitor!.url + path);
      return { status: res.status, text: await res.text() };
    };
    while (ran.length < 4) await sleep(100);
    expect(JSON.parse((await get('/readyz')).text)).toEqual({ status: 'ready' });

    await db.stop();
    const down = Date.now();
    const before = metric((await get('/metrics')).text, 'onramp_journey_runs_total');
    const readyDuring: { status: number; body: { status: string; degraded?: string[]; history?: { buffered: number } } }[] = [];
    while (Date.now() - down < 30_000) {
      await sleep(2_500);
      const r = await get('/readyz');
      readyDuring.push({ status: r.status, body: JSON.parse(r.text) });
    }
    const duringText = (await get('/metrics')).text;
    const runsDuringOutage = ran.filter((r) => r.at > down);
    // The status page and /api/runs still answer, from the buffer.
    const apiRuns = JSON.parse((await get('/api/runs?limit=1000')).text).runs as { run_id: string }[];
    await db.start();
    const up = Date.now();

    // Journeys ran on schedule throughout: two journeys at 1 s for 30 s, minus some slack.
    expect(runsDuringOutage.length).toBeGreaterThanOrEqual(50);
    for (const id of ['canary-a', 'canary-b']) expect(runsDuringOutage.filter((r) => r.journey === id).length).toBeGreaterThanOrEqual(25);
    // Metrics updated; the ticks were run without a claim and counted; the outage is in the metrics.
    expect(metric(duringText, 'onramp_journey_runs_total') - before).toBeGreaterThanOrEqual(50);
    expect(metric(duringText, 'onramp_scheduler_unclaimed_ticks_total')).toBeGreaterThanOrEqual(50);
    expect(metric(duringText, 'onramp_history_store_up')).toBe(0);
    expect(metric(duringText, 'onramp_history_buffered_runs')).toBeGreaterThanOrEqual(50);
    expect(metric(duringText, 'onramp_history_dropped_total')).toBe(0);
    // /readyz: 200 and degraded, naming the store's error, from the first probe after the stop on.
    expect(readyDuring.length).toBeGreaterThanOrEqual(10);
    for (const r of readyDuring) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('degraded');
      expect(r.body.degraded?.[0]).toMatch(/^the postgres history store does not answer \(.*(ECONNREFUSED|terminat|shut).*\): \d+ runs buffered; journeys keep running$/);
    }
    expect(readyDuring.at(-1)!.body.history!.buffered).toBeGreaterThanOrEqual(50);
    expect(apiRuns.map((r) => r.run_id)).toEqual(expect.arrayContaining(runsDuringOutage.slice(0, -2).map((r) => r.runId)));

    // Back: the buffer is written within a few seconds, /readyz is ready again.
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      const stored = async () => new Set((await client.query<{ run_id: string; journey: string }>('SELECT run_id, journey FROM onramp.runs')).rows.map((r) => `${r.run_id}/${r.journey}`));
      let missing: string[] = [];
      while (Date.now() - up < 15_000) {
        const have = await stored();
        missing = ran.filter((r) => r.at < up).map((r) => `${r.runId}/${r.journey}`).filter((k) => !have.has(k));
        if (!missing.length) break;
        await sleep(250);
      }
      expect(missing).toEqual([]);
      expect(JSON.parse((await get('/readyz')).text)).toEqual({ status: 'ready' });
      const after = (await get('/metrics')).text;
      expect(metric(after, 'onramp_history_store_up')).toBe(1);
      // Claims work again: new ticks are claimed in Postgres.
      const waitClaim = Date.now();
      while (!(await client.query('SELECT 1 FROM onramp.ticks WHERE tick_at > $1', [new Date(up)])).rowCount) {
        if (Date.now() - waitClaim > 10_000) throw new Error('no tick claimed after the restart');
        await sleep(200);
      }
      await monitor.stop();
      // Every run the monitor ever ran is in the history, outage or not.
      const have = await stored();
      expect(ran.map((r) => `${r.runId}/${r.journey}`).filter((k) => !have.has(k))).toEqual([]);
      console.log(`outage: ${runsDuringOutage.length} runs in 30 s without the database, ${readyDuring.length} /readyz probes all 200 degraded, ${have.size} runs in the history after the restart (${ran.length} run)`);
    } finally {
      await client.end();
    }
    expect(lines.join('\n')).toMatch(/history store unreachable, buffering runs \(up to 1000\)/);
    expect(lines.join('\n')).toMatch(/cannot claim ticks .*running them here without a claim/);
    expect(lines.join('\n')).toMatch(/history store reachable again after \d+ s/);
  }, 120_000);
});

describe('the history buffer', () => {
  const record = (i: number): RunRecord => ({ runId: `r${i}`, journey: 'j', location: '', outcome: 'passed', startedAt: new Date(i * 1000).toISOString(), finishedAt: new Date(i * 1000).toISOString(), durationMs: 1, steps: [] });
  it('keeps the newest N while the store is away, counts what it drops, writes the rest in order when it is back', async () => {
    const inner = new MemoryHistory(100);
    let broken = true;
    const store: HistoryStore = {
      kind: 'postgres',
      add: async (r) => (broken ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : inner.add(r)),
      list: async (q) => (broken ? Promise.reject(new Error('connect ECONNREFUSED')) : inner.list(q)),
      uptime: async (since) => (broken ? Promise.reject(new Error('connect ECONNREFUSED')) : inner.uptime(since)),
      ping: async () => (broken ? Promise.reject(new Error('connect ECONNREFUSED')) : undefined),
      prune: async () => 0,
      close: async () => undefined,
    };
    let dropped = 0;
    const buffered = new BufferedHistory(store, { limit: 3, retryMs: 50, onDrop: (n) => (dropped += n) });
    for (let i = 1; i <= 5; i++) await buffered.add(record(i));
    expect(buffered.health()).toMatchObject({ state: 'degraded', reason: 'connect ECONNREFUSED 127.0.0.1:5432', buffered: 3, dropped: 2 });
    expect(dropped).toBe(2);
    // Readable meanwhile, from the buffer.
    expect((await buffered.list({})).map((r) => r.runId)).toEqual(['r5', 'r4', 'r3']);
    expect(await buffered.uptime(record(4).finishedAt)).toEqual([{ journey: 'j', runs: 2, up: 2 }]);
    broken = false;
    // The retry timer finds the store back and writes the buffer, oldest first.
    const deadline = Date.now() + 2_000;
    while (buffered.health().buffered && Date.now() < deadline) await sleep(20);
    expect(buffered.health()).toEqual({ state: 'ok', buffered: 0, dropped: 2 });
    expect((await inner.list({})).map((r) => r.runId)).toEqual(['r5', 'r4', 'r3']);
    // Counted once, from the store, after the buffer was written.
    expect(await buffered.uptime(record(4).finishedAt)).toEqual([{ journey: 'j', runs: 2, up: 2 }]);
    await buffered.close();
  });

  it('does not wait longer than its timeout on a store that hangs', async () => {
    const hang: HistoryStore = { kind: 'postgres', add: () => new Promise(() => {}), list: () => new Promise(() => {}), uptime: () => new Promise(() => {}), ping: () => new Promise(() => {}), prune: async () => 0, close: async () => undefined };
    const buffered = new BufferedHistory(hang, { timeoutMs: 100, retryMs: 60_000 });
    const t0 = Date.now();
    await buffered.add(record(1));
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(buffered.health()).toMatchObject({ state: 'degraded', reason: 'write took longer than 100 ms', buffered: 1 });
    // The status page's uptime does not hang either: the buffer's count.
    expect(await buffered.uptime(record(0).finishedAt)).toEqual([{ journey: 'j', runs: 1, up: 1 }]);
    await buffered.drain();
  });
});
