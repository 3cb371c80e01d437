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
