// One way to make a pg.Pool for the whole program, so every pool survives a dropped connection.
import pg from 'pg';

export interface PoolOptions {
  /**
   * One connection at most. Required for PGlite behind pglite-socket: every connection shares its
   * single backend, so a second connection could interleave its extended-protocol messages with the
   * first one's (and the embedded server refuses it anyway).
   */
  single?: boolean;
  /** Upper bound when not single. */
  max?: number;
  /** Called for errors on idle connections; default: a warning on stderr. */
  onError?: (err: Error) => void;
  application_name?: string;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.single ? 1 : (options.max ?? 10),
    // A single connection is the only way into PGlite: keep it instead of reopening it every 10 s.
    idleTimeoutMillis: options.single ? 0 : 10_000,
    connectionTimeoutMillis: 10_000,
    application_name: options.application_name ?? 'onramp',
  });
  // An idle client whose server goes away (restart, PGlite closed under it) is reported here; without
  // a listener Node treats it as an unhandled 'error' event and exits. The pool drops the client
  // and opens a new one on the next query, so reporting is all there is to do.
  const onError = options.onError ?? ((err: Error) => console.warn(`postgres pool: idle connection lost: ${err.message}`));
  pool.on('error', onError);
  return pool;
}
