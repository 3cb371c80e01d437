// Run history, the same behaviour in memory and in Postgres (schema onramp, migrated on open):
// newest first, filtered by journey and outcome, bounded (memory) or pruned by retention (Postgres).
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { MemoryHistory, type HistoryStore, type RunRecord } from '../../src/monitor/history.ts';
import { PgHistory } from '../../src/monitor/pg-history.ts';

const db = useTestPostgres();
const opened: HistoryStore[] = [];
afterAll(() => Promise.all(opened.map((s) => s.close())));

const record = (i: number, journey: string, outcome: RunRecord['outcome'], ageMs = 0): RunRecord => {
  const at = new Date(Date.parse('2026-11-30T12:00:00Z') + i * 1000 - ageMs).toISOString();
  return { runId: `run-${i}`, journey, location: 'eu', outcome, startedAt: at, finishedAt: at, durationMs: 100 + i, steps: [{ name: 'sign up', status: outcome === 'failed' ? 'failed' : 'passed', durationMs: 50, ...(outcome === 'failed' ? { code: 'signup_failed', correlationId: `corr-${i}` } : {}) }] };
};

const STORES: [string, () => Promise<HistoryStore>][] = [
  ['memory', async () => new MemoryHistory(100)],
  ['postgres', async () => PgHistory.open(await db.createDatabase(), 'eu')],
];

describe.each(STORES)('%s history', (_, open) => {
  it('lists newest first, filtered by journey and outcome, with steps, codes and correlation ids', async () => {
    const store = await open();
    opened.push(store);
    for (const [i, j, o] of [[1, 'a', 'passed'], [2, 'b', 'failed'], [3, 'a', 'failed'], [4, 'a', 'passed']] as const) await store.add(record(i, j, o));
    expect((await store.list({})).map((r) => r.runId)).toEqual(['run-4', 'run-3', 'run-2', 'run-1']);
    expect((await store.list({ journey: 'a' })).map((r) => r.runId)).toEqual(['run-4', 'run-3', 'run-1']);
    expect((await store.list({ journey: 'a', outcome: 'failed' }))).toEqual([record(3, 'a', 'failed')]);
    expect((await store.list({ limit: 2 })).map((r) => r.runId)).toEqual(['run-4', 'run-3']);
    await store.ping();
  });

  it('counts uptime per journey since a time: passed and flaky are up; skipped and interrupted do not count', async () => {
    const store = await open();
    opened.push(store);
    const runs = [[1, 'a', 'passed'], [2, 'a', 'failed'], [3, 'a', 'flaky'], [4, 'a', 'skipped'], [5, 'a', 'interrupted'], [6, 'b', 'error'], [7, 'b', 'passed']] as const;
    for (const [i, j, o] of runs) await store.add(record(i, j, o));
    const byJourney = async (since: string) => Object.fromEntries((await store.uptime(since)).map((c) => [c.journey, c]));
    expect(await byJourney(record(1, 'a', 'passed').finishedAt)).toEqual({ a: { journey: 'a', runs: 3, up: 2 }, b: { journey: 'b', runs: 2, up: 1 } });
    // The window starts at `since`, inclusive.
    expect(await byJourney(record(3, 'a', 'passed').finishedAt)).toEqual({ a: { journey: 'a', runs: 1, up: 1 }, b: { journey: 'b', runs: 2, up: 1 } });
    expect(await store.uptime(record(8, 'a', 'passed').finishedAt)).toEqual([]);
  });

  it('keeps a failed step\'s artifacts, expected, actual, request id and page evidence', async () => {
    const store = await open();
    opened.push(store);
    const steps: RunRecord['steps'] = [{
      name: 'log out', status: 'failed', durationMs: 5, code: 'sso_session_survived_logout', correlationId: 'c1',
      artifacts: [{ kind: 'screenshot', path: 'switch-user-login/r1/a1-03-log-out.png' }, { kind: 'trace', path: 'switch-user-login/r1/a1-03-log-out.trace.zip' }],
      expected: 'the login form', actual: 'the console shell', request_id: { id: 'r1.switch-user-login.browser.2', sent_by: 'onramp' },
      browser: { failed_requests: [{ method: 'GET', url: 'http://console/x', status: 500, correlation_id: 'c2' }], console_errors: [{ text: 'boom', correlation_id: null }], signed_in_as: 'sysadmin' },
    }];
    await store.add({ ...record(1, 'switch-user-login', 'failed'), steps });
    expect((await store.list({ journey: 'switch-user-login' }))[0]!.steps).toEqual(steps);
  });
});

describe('bounds', () => {
  it('memory keeps the newest N runs', async () => {
    const store = new MemoryHistory(3);
    for (let i = 1; i <= 5; i++) await store.add(record(i, 'a', 'passed'));
    expect((await store.list({})).map((r) => r.runId)).toEqual(['run-5', 'run-4', 'run-3']);
  });

  it('postgres prunes runs and tick claims older than the retention', async () => {
    const url = await db.createDatabase();
    const store = await PgHistory.open(url, 'eu');
    opened.push(store);
    await store.add({ ...record(1, 'a', 'passed'), finishedAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    await store.add({ ...record(2, 'a', 'passed'), finishedAt: new Date().toISOString() });
    expect(await store.claim('a', new Date(Date.now() - 8 * 86_400_000))).toBe(true);
    expect(await store.prune(7 * 86_400_000)).toBe(1);
    expect((await store.list({})).map((r) => r.runId)).toEqual(['run-2']);
    const client = new pg.Client(url);
    await client.connect();
    expect((await client.query('SELECT count(*)::int AS n FROM onramp.ticks')).rows[0].n).toBe(0);
    await client.end();
  });

  it('postgres claims a tick once per location', async () => {
    const url = await db.createDatabase();
    const [eu, eu2, us] = await Promise.all([PgHistory.open(url, 'eu'), PgHistory.open(url, 'eu'), PgHistory.open(url, 'us')]);
    opened.push(eu, eu2, us);
    const tick = new Date('2026-11-30T12:00:00Z');
    const [a, b, c] = await Promise.all([eu.claim('a', tick), eu2.claim('a', tick), us.claim('a', tick)]);
    // One of the two eu replicas wins the tick; us runs its own schedule.
    expect([a !== b, c]).toEqual([true, true]);
    expect(await eu.claim('a', tick)).toBe(false);
  });
});
