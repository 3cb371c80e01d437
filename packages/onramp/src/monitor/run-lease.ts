// Replicas sharing one Postgres claim a tick only when no run of its journey is in flight in any
// of them: the claim takes the journey's lease row (journey, holder, expiry) and the tick's row in
// one transaction. The holder renews the lease while the run goes on (a heartbeat every third of the
// lease) and deletes it after the run; a replica killed mid-run stops renewing, so its lease lapses
// and the journey's ticks run again within one lease. Ticks that find a live lease are skipped and
// counted like the ticks one process skips because its own run is still going.
import type { PgHistory } from './pg-history.ts';
import type { ClaimTick, TickClaim } from './scheduler.ts';

/** How long a lease lives without a heartbeat: the longest a killed replica's journey waits. */
export const DEFAULT_LEASE_MS = 30_000;

export interface LeaseOptions {
  leaseMs?: number;
  /** Told when a heartbeat fails or finds the lease taken over (the database was away too long). */
  log?: (line: string) => void;
}

/** Tick claims with run leases, on the history's database (schema onramp, migrated at open). */
export function leasedClaims(history: PgHistory, o: LeaseOptions = {}): ClaimTick {
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const { pool, location, replica } = history;
  const key = (job: string, tickAt: Date) => [job, location, replica, tickAt];
  return async (job, tickAt): Promise<TickClaim> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      // Taken when free or lapsed; a live lease of another run leaves the row as it is (no RETURNING).
      // ON CONFLICT DO UPDATE locks the row, so two replicas never both see it lapsed.
      const lease = await client.query(
        `INSERT INTO onramp.leases (job, location, holder, tick_at, expires_at) VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
         ON CONFLICT (job, location) DO UPDATE SET holder = EXCLUDED.holder, tick_at = EXCLUDED.tick_at, expires_at = EXCLUDED.expires_at
         WHERE onramp.leases.expires_at <= now() RETURNING 1`,
        [...key(job, tickAt), leaseMs],
      );
      if (lease.rowCount !== 1) {
        await client.query('ROLLBACK');
        return 'busy';
      }
      const tick = await client.query('INSERT INTO onramp.ticks (job, location, tick_at, replica) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [job, location, tickAt, replica]);
      // Another replica ran this tick already (and has let go of the lease): not ours, not a skip.
      if (tick.rowCount !== 1) {
        await client.query('ROLLBACK');
        return false;
      }
      await client.query('COMMIT');
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
    return { release: heartbeat(history, key(job, tickAt), leaseMs, o.log) };
  };
}

/** Renews the lease until released; answers the release, which deletes it. */
function heartbeat(history: PgHistory, key: unknown[], leaseMs: number, log?: (line: string) => void): () => Promise<void> {
  const [job] = key as [string];
  // Said once per run: while the database is away every heartbeat fails the same way.
  let told = false;
  const tell = (line: string) => {
    if (!told) log?.(line);
    told = true;
  };
  const timer = setInterval(() => {
    history.pool
      .query(`UPDATE onramp.leases SET expires_at = now() + $5 * interval '1 millisecond' WHERE job = $1 AND location = $2 AND holder = $3 AND tick_at = $4`, [...key, leaseMs])
      .then(
        (res) => void (res.rowCount !== 1 && tell(`onramp monitor: ${job}: this run's lease lapsed (the database did not renew it within ${leaseMs / 1000} s): another replica may start ${job} alongside it`)),
        (err: Error) => tell(`onramp monitor: ${job}: cannot renew this run's lease (${err.message}): once it lapses, another replica may start ${job} alongside it`),
      );
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await history.pool.query('DELETE FROM onramp.leases WHERE job = $1 AND location = $2 AND holder = $3 AND tick_at = $4', key);
  };
}
