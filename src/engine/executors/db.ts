// Read-only database diagnostics through pg: against the target's database URL, or on the embedded
// sandbox through its own connection in process (PGlite serves one). Each step runs in a READ ONLY
// transaction that is rolled back, its queries use the extended protocol (one statement each), and
// every query first checks that the transaction is still read-only, so no step can commit its way
// out of it and change data.
import pg from 'pg';
import type { DbStep, Query } from '../journey.ts';
import type { Target } from '../target.ts';
import { StepFailure } from '../failure.ts';
import type { StepExecutor } from './executor.ts';

export function createDbExecutor(): StepExecutor<DbStep> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (target: Target): pg.Pool => {
    if (target.sandbox?.pool) return target.sandbox.pool;
    const url = target.databaseUrl!.reveal();
    let pool = pools.get(url);
    if (!pool) {
      pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'onramp-journeys' });
      pool.on('error', () => undefined);
      pools.set(url, pool);
    }
    return pool;
  };
  return {
    kind: 'db',
    unavailable: (ctx) => (ctx.target.databaseUrl || ctx.target.sandbox?.pool ? undefined : 'the target names no database (set databaseUrl on the target to run db checks)'),
    async run(step, ctx) {
      const client = await poolFor(ctx.target).connect();
      try {
        await client.query('BEGIN READ ONLY');
        const query: Query = async (text, values) => {
          const { rows } = await client.query<{ ro: string }>({ text: "SELECT current_setting('transaction_read_only') AS ro", queryMode: 'extended' } as pg.QueryConfig);
          if (rows[0]?.ro !== 'on') throw new StepFailure('db_write_attempt', 'a db step left its read-only transaction', 'a read-only transaction', `transaction_read_only = ${rows[0]?.ro}`);
          return (await client.query({ text, values: values as unknown[], queryMode: 'extended' } as pg.QueryConfig)).rows;
        };
        await step.run(query, ctx);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
      }
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}
