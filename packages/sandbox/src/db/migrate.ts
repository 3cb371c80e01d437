// Schema migrations through node-pg-migrate's runner, one migrations table per schema, so the IdP
// and the platform migrate independently on one database.
import type pg from 'pg';
import { runner } from 'node-pg-migrate';

export interface MigrateOptions {
  /** Folder of migration files. */
  dir: string;
  /** Schema holding the migrations table (created when missing). */
  schema: string;
  /** Advisory lock value: distinct per schema, so one schema's migration never waits on another's. */
  lock: number;
  /** Names the failing component in the error. */
  label: string;
}

export async function migrateSchema(pool: pg.Pool, o: MigrateOptions): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await runner({
      dbClient: client,
      dir: o.dir,
      direction: 'up',
      migrationsSchema: o.schema,
      createMigrationsSchema: true,
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      // Two processes starting on one fresh database: the second waits, then finds nothing to do. On
      // PGlite every connection is the same backend, so the lock does not exclude; it need not,
      // since only one process can open a PGlite data directory.
      advisoryLockMode: 'wait',
      lockValue: o.lock,
      logger: quiet,
    });
  } catch (err) {
    broken = err as Error;
    throw new Error(`${o.label}: database migration failed: ${(err as Error).message}`, { cause: err });
  } finally {
    // A failed migration may leave the connection mid-transaction: discard it rather than pool it.
    client.release(broken);
  }
}

// The runner narrates every step on the console; failures reach the caller as errors instead.
const noop = () => {};
const quiet = { debug: noop, info: noop, warn: noop, error: noop };
