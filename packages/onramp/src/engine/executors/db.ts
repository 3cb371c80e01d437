// Read-only database diagnostics through pg: against the target's database URL, on the embedded
// sandbox through its own connection in process (PGlite serves one), or on a running sandbox (a
// target with `sandbox.control_token` and no database_url) through its database route. Each step runs in a READ ONLY
// transaction that is rolled back, its queries use the extended protocol (one statement each), and
// every query first checks that the transaction is still read-only, so no step can commit its way
// out of it and change data. Triage's collectors read through the same guard (`readOnly`).
import pg from 'pg';
import type { DbStep, Query } from '../journey.ts';
import type { Target } from '../target.ts';
import { StepFailure } from '../failure.ts';
import type { StepExecutor } from './executor.ts';
import { sandboxDbSessions } from './sandbox-db.ts';
import type { DbSessions } from '../db-session.ts';

/** Why a target's database cannot be read, if it cannot. */
export const dbUnavailable = (target: Target): string | undefined =>
  target.databaseUrl || target.sandbox ? undefined : 'the target names no database (set database_url on the target to run db checks)';

/**
 * Pools per database URL (the sandbox's own session is used as it is; a running sandbox's route
 * when the target is one and names no database_url); `end` closes the ones made here.
 */
export function dbPools(applicationName: string) {
  const pools = new Map<string, pg.Pool>();
  return {
    poolFor(target: Target): DbSessions {
      const sandboxConnect = target.sandbox?.connect;
      if (sandboxConnect) return { connect: sandboxConnect };
      if (!target.databaseUrl && target.sandbox) return sandboxDbSessions(target.apiUrl, target.sandbox.controlToken);
      const url = target.databaseUrl!.reveal();
      let pool = pools.get(url);
      if (!pool) {
        pool = new pg.Pool({ connectionString: url, max: 2, application_name: applicationName });
        pool.on('error', () => undefined);
        pools.set(url, pool);
      }
      return pool;
    },
    async end() {
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}

/** Runs `fn` with a query function inside a READ ONLY transaction that is always rolled back. */
export async function readOnly<T>(pool: DbSessions, fn: (query: Query) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    const query: Query = async (text, values) => {
      const { rows } = await client.query({ text: "SELECT current_setting('transaction_read_only') AS ro", queryMode: 'extended' });
      if (rows[0]?.ro !== 'on') throw new StepFailure('db_write_attempt', 'a db step left its read-only transaction', 'a read-only transaction', `transaction_read_only = ${rows[0]?.ro}`);
      return (await client.query({ text, values: values as unknown[], queryMode: 'extended' })).rows as never;
    };
    return await fn(query);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

export function createDbExecutor(): StepExecutor<DbStep> {
  const pools = dbPools('onramp-journeys');
  return {
    kind: 'db',
    unavailable: (ctx) => dbUnavailable(ctx.target),
    async run(step, ctx) {
      await readOnly(pools.poolFor(ctx.target), (query) => Promise.resolve(step.run(query, ctx)));
    },
    close: () => pools.end(),
  };
}
