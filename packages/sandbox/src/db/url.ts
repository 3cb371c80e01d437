// A database URL given by a user (--database, DATABASE_URL) is checked before anything starts, so a
// typo is reported as the option's error instead of a DNS failure from deep inside pg.
import pg from 'pg';

/** Why `url` is not a usable Postgres connection URL, or undefined when it is. */
export function databaseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `expected a postgres://user:password@host:port/database URL, got "${redactDatabaseUrl(url)}"`;
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    return `expected a postgres:// or postgresql:// URL, got "${parsed.protocol}" in "${redactDatabaseUrl(url)}"`;
  }
  // A socket directory may come as ?host=/run/postgresql instead of a host name.
  if (!parsed.hostname && !parsed.searchParams.get('host')) return `no host in "${redactDatabaseUrl(url)}"`;
  return undefined;
}

/** The URL with its password masked: it goes into error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL: mask whatever sits between "user:" and "@" in case it is a garbled one.
    return url.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

export class DatabaseUrlError extends Error {
  constructor(readonly url: string, problem: string) {
    super(problem);
    this.name = 'DatabaseUrlError';
  }
}

/**
 * Checks the URL's form, then connects once: an unreachable server, a wrong password or a missing
 * database become one DatabaseUrlError naming the (redacted) URL, within `timeoutMs`.
 */
export async function probeDatabase(url: string, timeoutMs = 5_000): Promise<void> {
  const problem = databaseUrlProblem(url);
  if (problem) throw new DatabaseUrlError(url, problem);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // An error event after connect() rejected would otherwise be unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code && !/^\d/.test(e.code) ? `${e.code}` : e.message;
    throw new DatabaseUrlError(url, `cannot connect to ${redactDatabaseUrl(url)}: ${why}`);
  } finally {
    await client.end().catch(() => {});
  }
}
