// Read-only database diagnostics through pg, only when the target names a database: each step
// runs in a READ ONLY transaction that is rolled back, so a journey can never change data.
import pg from 'pg';
import type { DbStep, Query } from '../journey.ts';
import type { StepExecutor } from './executor.ts';

export function createDbExecutor(): StepExecutor<DbStep> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (url: string) => {
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
    unavailable: (ctx) => (ctx.target.databaseUrl ? undefined : 'the target names no database'),
    async run(step, ctx) {
      const client = await poolFor(ctx.target.databaseUrl!.reveal()).connect();
      try {
        await client.query('BEGIN READ ONLY');
        const query: Query = async (text, values) => (await client.query(text, values as unknown[])).rows;
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
