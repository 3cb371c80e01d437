// Run history and tick claims in Postgres, schema `onramp` (migrated at start). Replicas sharing one
// database run each tick once: the first to insert the tick's row runs it, the others skip (and
// run-lease.ts keeps a journey from overlapping itself across them). That needs a real server;
// PGlite's connections share one backend, so it is refused by name.
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import type pg from 'pg';
import { createPool } from '../db/pool.ts';
import { migrateSchema } from '../db/migrate.ts';
import { COUNTED, UP, type HistoryStore, type RunQuery, type RunRecord, type UptimeCount } from './history.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 0x6f6e_7261_6d70; // "onramp"

export class PgHistoryError extends Error {}

export class PgHistory implements HistoryStore {
  readonly kind = 'postgres';
  readonly replica = `${hostname()}/${process.pid}`;

  private constructor(
    readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  /** Connects, refuses PGlite, migrates; errors name the setting, monitor.database_url. */
  static async open(url: string, location: string): Promise<PgHistory> {
    const what = 'monitor.database_url';
    const pool = createPool(url, { max: 4, application_name: 'onramp-monitor' });
    try {
      let version: string;
      try {
        version = (await pool.query<{ version: string }>('SELECT version()')).rows[0]!.version;
      } catch (err) {
        throw new PgHistoryError(`${what}: cannot connect: ${(err as Error).message}`);
      }
      if (/emscripten|wasm/i.test(version)) {
        throw new PgHistoryError(`${what}: points at PGlite (${version.split(',')[0]}); the monitor's history and replica coordination need a real PostgreSQL server, because PGlite's connections share one backend and cannot keep replicas from running the same tick`);
      }
      await migrateSchema(pool, { dir: MIGRATIONS_DIR, schema: 'onramp', lock: MIGRATION_LOCK, label: 'onramp monitor' });
      return new PgHistory(pool, location);
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /** True for the one replica whose INSERT of this tick's row went through. */
  async claim(job: string, tickAt: Date): Promise<boolean> {
    const res = await this.pool.query('INSERT INTO onramp.ticks (job, location, tick_at, replica) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [job, this.location, tickAt, this.replica]);
    return res.rowCount === 1;
  }

  async add(r: RunRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO onramp.runs (run_id, journey, location, outcome, started_at, finished_at, duration_ms, steps)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [r.runId, r.journey, r.location, r.outcome, r.startedAt, r.finishedAt, r.durationMs, JSON.stringify(r.steps)],
    );
  }

  async list(q: RunQuery): Promise<RunRecord[]> {
    const res = await this.pool.query<{ run_id: string; journey: string; location: string; outcome: RunRecord['outcome']; started_at: Date; finished_at: Date; duration_ms: number; steps: RunRecord['steps'] }>(
      `SELECT * FROM onramp.runs WHERE location = $1 AND ($2::text IS NULL OR journey = $2) AND ($3::text IS NULL OR outcome = $3)
       ORDER BY finished_at DESC LIMIT $4`,
      [this.location, q.journey ?? null, q.outcome ?? null, q.limit ?? 50],
    );
    return res.rows.map((r) => ({
      runId: r.run_id,
      journey: r.journey,
      location: r.location,
      outcome: r.outcome,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at.toISOString(),
      durationMs: r.duration_ms,
      steps: r.steps,
    }));
  }

  async uptime(since: string): Promise<UptimeCount[]> {
    const res = await this.pool.query<{ journey: string; runs: number; up: number }>(
      `SELECT journey, count(*)::int AS runs, count(*) FILTER (WHERE outcome = ANY($4))::int AS up FROM onramp.runs
       WHERE location = $1 AND finished_at >= $2 AND outcome = ANY($3) GROUP BY journey`,
      [this.location, since, COUNTED, UP],
    );
    return res.rows;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async prune(olderThanMs: number): Promise<number> {
    const cutoff = new Date(Date.now() - olderThanMs);
    const runs = await this.pool.query('DELETE FROM onramp.runs WHERE finished_at < $1', [cutoff]);
    await this.pool.query('DELETE FROM onramp.ticks WHERE tick_at < $1', [cutoff]);
    return runs.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
