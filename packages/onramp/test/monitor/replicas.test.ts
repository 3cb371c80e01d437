// Three replicas on one real PostgreSQL 15 share the schedule: every tick runs exactly once (the
// first replica to insert the tick's row runs it), and killing one mid-run leaves the others going.
// With run leases, a journey longer than its interval never runs twice at once in any replica, and
// a replica killed mid-run holds its journey back no longer than one lease. The replicas are real
// processes (so SIGKILL is real) running the monitor's scheduler and claims on the real database;
// each `onramp monitor` process would add a sandbox or target and ~2 s of start to no purpose here.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { PgHistory, PgHistoryError } from '../../src/monitor/pg-history.ts';

const WORKER = fileURLToPath(new URL('./replica-worker.ts', import.meta.url));
const db = useTestPostgres();
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));

function startReplica(url: string, name: string, ...more: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, name, ...more], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`replica ${name} exited ${code} before starting`)));
  });
}

describe('replicas on one Postgres', () => {
  it('run each of 20 ticks exactly once, also after one replica is killed mid-run', async () => {
    const url = await db.createDatabase();
    // Migrate once up front, so the replicas' start does not race on it (they would wait, not fail).
    await (await PgHistory.open(url, 'test-location')).close();
    const client = new pg.Client(url);
    await client.connect();
    await client.query('CREATE TABLE replica_runs (id serial PRIMARY KEY, replica text NOT NULL, tick_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)');
    try {
      const replicas: ChildProcess[] = await Promise.all(['a', 'b', 'c'].map((n) => startReplica(url, n)));
      const count = async () => Number((await client.query('SELECT count(*) FROM onramp.ticks WHERE job = $1', ['canary'])).rows[0].count);
      const waitFor = async (pred: () => Promise<boolean>, what: string, ms = 60_000) => {
        const deadline = Date.now() + ms;
        while (!(await pred())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      // Kill the replica that is running a tick right now (SIGKILL: no cleanup, no goodbye).
      await waitFor(async () => (await count()) >= 5, '5 ticks');
      let victim: string | undefined;
      await waitFor(async () => {
        victim = (await client.query('SELECT replica FROM replica_runs WHERE finished_at IS NULL LIMIT 1')).rows[0]?.replica;
        return !!victim;
      }, 'a run in flight');
      const killed = replicas[['a', 'b', 'c'].indexOf(victim!)]!;
      killed.kill('SIGKILL');
      await once(killed, 'exit');
      const killedAt = await count();
      await waitFor(async () => (await count()) >= 20, '20 ticks');
      const alive = replicas.filter((r) => r !== killed);
      for (const r of alive) r.kill('SIGTERM');
      await Promise.all(alive.map((r) => once(r, 'exit')));

      const ticks = (await client.query('SELECT tick_at, replica FROM onramp.ticks WHERE job = $1 ORDER BY tick_at', ['canary'])).rows;
      const runs = (await client.query('SELECT replica, started_at, finished_at FROM replica_runs ORDER BY started_at')).rows;
      // One run per claimed tick: no tick ran twice, none was claimed and dropped (but the victim's).
      expect(runs.length).toBe(ticks.length);
      // Ticks are one second apart with no gap: every tick of the schedule was claimed.
      const times = ticks.map((t) => (t.tick_at as Date).getTime());
      expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => 1_000));
      // After the kill, only the survivors ran ticks, and they kept going.
      const afterKill = ticks.slice(killedAt);
      expect(afterKill.length).toBeGreaterThanOrEqual(20 - killedAt);
      expect(afterKill.every((t) => !t.replica.endsWith(`/${killed.pid}`))).toBe(true);
      // Only the killed replica's in-flight run never finished.
      expect(runs.filter((r) => !r.finished_at).map((r) => r.replica)).toEqual([victim]);
      console.log(`replicas: ${ticks.length} ticks, each run once; runs per replica: ${JSON.stringify(Object.fromEntries(['a', 'b', 'c'].map((n) => [n, runs.filter((r) => r.replica === n).length])))}; replica ${victim} killed after ${killedAt} ticks`);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('with run leases: a journey longer than its interval never overlaps itself; a killed replica holds it back one lease at most', async () => {
    const url = await db.createDatabase();
    await (await PgHistory.open(url, 'test-location')).close();
    const client = new pg.Client(url);
    await client.connect();
    await client.query('CREATE TABLE replica_runs (id serial PRIMARY KEY, replica text NOT NULL, tick_at timestamptz NOT NULL, started_at timestamptz NOT NULL DEFAULT clock_timestamp(), finished_at timestamptz)');
    await client.query('CREATE TABLE replica_skips (replica text NOT NULL, job text NOT NULL)');
    // Ticks every second, runs of 2.5 s: two ticks of three find a run in flight somewhere.
    const RUN_MS = 2_500;
    const LEASE_MS = 2_000;
    const SLACK_MS = 2_000;
    const names = ['a', 'b', 'c'];
    try {
      const replicas = await Promise.all(names.map((n) => startReplica(url, n, String(RUN_MS), String(LEASE_MS))));
      const runs = async () => (await client.query<{ replica: string; tick_at: Date; started_at: Date; finished_at: Date | null }>('SELECT replica, tick_at, started_at, finished_at FROM replica_runs ORDER BY started_at')).rows;
      const waitFor = async (pred: () => Promise<boolean>, what: string, ms = 60_000) => {
        const deadline = Date.now() + ms;
        while (!(await pred())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      // Kill the replica whose run has been going for a second (its lease renewed at least once).
      await waitFor(async () => (await runs()).filter((r) => r.finished_at).length >= 3, '3 runs');
      let victim: string | undefined;
      await waitFor(async () => {
        victim = (await client.query("SELECT replica FROM replica_runs WHERE finished_at IS NULL AND started_at < clock_timestamp() - interval '1 second'")).rows[0]?.replica;
        return !!victim;
      }, 'a run in flight for a second');
      const killed = replicas[names.indexOf(victim!)]!;
      killed.kill('SIGKILL');
      await once(killed, 'exit');
      const killedAt = (await client.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now.getTime();
      await waitFor(async () => (await runs()).filter((r) => r.started_at.getTime() > killedAt && r.finished_at).length >= 3, '3 runs after the kill');
      const alive = replicas.filter((r) => r !== killed);
      for (const r of alive) r.kill('SIGTERM');
      await Promise.all(alive.map((r) => once(r, 'exit')));

      const all = await runs();
      // Only the killed run never finished; it ended when its replica died.
      expect(all.filter((r) => !r.finished_at).map((r) => r.replica)).toEqual([victim]);
      const ends = all.map((r) => r.finished_at?.getTime() ?? killedAt);
      for (let i = 1; i < all.length; i++) {
        const start = all[i]!.started_at.getTime();
        // Never two runs at once: each starts after the one before it ended, in whichever replica.
        expect(start, `run ${i} (${all[i]!.replica}) started before run ${i - 1} (${all[i - 1]!.replica}) ended`).toBeGreaterThanOrEqual(ends[i - 1]!);
        // No tick lost for longer than the lease: the next tick after a run's end runs, and after
        // the killed run the first tick once its lease has lapsed. Measured on the ticks' nominal
        // times, which a timer that fires late on a loaded machine does not move.
        const allowed = (all[i - 1]!.finished_at ? 0 : LEASE_MS) + 1_000 + SLACK_MS;
        expect(all[i]!.tick_at.getTime() - ends[i - 1]!, `ticks lost before run ${i}`).toBeLessThanOrEqual(allowed);
      }
      // The ticks that found a run in flight were skipped and counted, in every replica that saw one.
      const skips = Number((await client.query('SELECT count(*) FROM replica_skips')).rows[0].count);
      expect(skips).toBeGreaterThan(all.length);
      // A claimed tick is a run: a tick that found the lease taken left no row.
      expect(Number((await client.query('SELECT count(*) FROM onramp.ticks')).rows[0].count)).toBe(all.length);
      expect(Number((await client.query('SELECT count(*) FROM onramp.leases')).rows[0].count)).toBe(0);
      const afterKill = all.find((r) => r.started_at.getTime() > killedAt)!.tick_at.getTime() - killedAt;
      console.log(`replicas with leases: ${all.length} runs of 2.5 s at a 1 s interval, none overlapping; ${skips} ticks skipped; replica ${victim} killed mid-run, the next run on the tick ${afterKill} ms later (lease ${LEASE_MS} ms)`);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('refuses PGlite with a message that says why', async () => {
    const { startEmbeddedPostgres } = await import('../../../sandbox/src/db/embedded.ts');
    const embedded = await startEmbeddedPostgres({});
    try {
      const err = await PgHistory.open(embedded.url, '').catch((e: Error) => e);
      expect(err).toBeInstanceOf(PgHistoryError);
      expect((err as Error).message).toMatch(/^monitor\.database_url: points at PGlite .*need a real PostgreSQL server/);
    } finally {
      await embedded.close();
    }
  }, 60_000);

  it('names the setting when the database cannot be reached', async () => {
    const err = await PgHistory.open('postgres://nobody@127.0.0.1:1/none', '').catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^monitor\.database_url: cannot connect: .*ECONNREFUSED/);
  });
});
