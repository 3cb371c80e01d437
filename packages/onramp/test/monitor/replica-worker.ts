// One monitor replica for the replica tests, as its own process (so it can be killed mid-run): a
// scheduler ticking every second with Postgres tick claims; each run it wins is written to
// replica_runs (started, then finished RUN_MS later). With LEASE_MS, claims take the journey's run
// lease too (as `onramp monitor` does), and each tick skipped for a run in flight elsewhere is
// written to replica_skips (where the monitor counts onramp_scheduler_skipped_ticks_total).
// Arguments: URL NAME [RUN_MS (400)] [LEASE_MS].
import pg from 'pg';
import { PgHistory } from '../../src/monitor/pg-history.ts';
import { leasedClaims } from '../../src/monitor/run-lease.ts';
import { Scheduler, type ClaimTick } from '../../src/monitor/scheduler.ts';

const [url, name, runMs = '400', leaseMs] = process.argv.slice(2) as [string, string, string?, string?];
const history = await PgHistory.open(url, 'test-location');
const db = new pg.Pool({ connectionString: url, max: 2 });
const claim: ClaimTick = leaseMs ? leasedClaims(history, { leaseMs: Number(leaseMs), log: (l) => console.error(l) }) : (job, tickAt) => history.claim(job, tickAt);
// The tick a run belongs to (one run of the job at a time in a replica): its nominal time, which a
// timer late under load does not shift.
let claimedTick: Date | undefined;
const scheduler = new Scheduler({
  concurrency: 2,
  browserConcurrency: 1,
  location: 'test-location',
  async claim(job, tickAt) {
    const c = await claim(job, tickAt);
    if (c !== false && c !== 'busy') claimedTick = tickAt;
    return c;
  },
  onSkip: (job) => void db.query('INSERT INTO replica_skips (replica, job) VALUES ($1, $2)', [name, job]).catch(() => undefined),
  jobs: [
    {
      id: 'canary',
      schedule: { kind: 'interval', everyMs: 1_000, text: '1s' },
      jitterMs: 0,
      browser: false,
      async run() {
        const { rows } = await db.query<{ id: number }>('INSERT INTO replica_runs (replica, tick_at) VALUES ($1, $2) RETURNING id', [name, claimedTick]);
        await new Promise((r) => setTimeout(r, Number(runMs)));
        await db.query('UPDATE replica_runs SET finished_at = clock_timestamp() WHERE id = $1', [rows[0]!.id]);
      },
    },
  ],
});
scheduler.start();
console.log('started');
process.once('SIGTERM', async () => {
  await scheduler.stop(5_000);
  await history.close();
  await db.end();
  process.exit(0);
});
