// One monitor replica for the replica test, as its own process (so it can be killed mid-run): a
// scheduler ticking every second with Postgres tick claims; each run it wins is written to
// replica_runs (started, then finished 400 ms later).
import pg from 'pg';
import { PgHistory } from '../../src/monitor/pg-history.ts';
import { Scheduler } from '../../src/monitor/scheduler.ts';

const [url, name] = process.argv.slice(2) as [string, string];
const history = await PgHistory.open(url, 'test-location');
const db = new pg.Pool({ connectionString: url, max: 2 });
const scheduler = new Scheduler({
  concurrency: 2,
  browserConcurrency: 1,
  location: 'test-location',
  claim: (job, tickAt) => history.claim(job, tickAt),
  jobs: [
    {
      id: 'canary',
      schedule: { kind: 'interval', everyMs: 1_000, text: '1s' },
      jitterMs: 0,
      browser: false,
      async run() {
        const { rows } = await db.query<{ id: number }>('INSERT INTO replica_runs (replica) VALUES ($1) RETURNING id', [name]);
        await new Promise((r) => setTimeout(r, 400));
        await db.query('UPDATE replica_runs SET finished_at = now() WHERE id = $1', [rows[0]!.id]);
      },
    },
  ],
});
scheduler.start();
console.log('started');
process.once('SIGTERM', async () => {
  await scheduler.stop(2_000);
  await history.close();
  await db.end();
  process.exit(0);
});
