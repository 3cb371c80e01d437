// Three replicas on one real PostgreSQL 15 share the schedule: every tick runs exactly once (the
// first replica to insert the tick's row runs it), and killing one mid-run leaves the others going.
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

function startReplica(url: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, name], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    await client.query('CREATE TABLE replica_runs (id serial PRIMARY KEY, replica text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)');
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
