// Throwaway PostgreSQL 15 clusters for tests: a real server, not a mock, started in well under a
// second (initdb with --no-sync, fsync off) and removed afterwards.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export const BIN = process.env.ONRAMP_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** Superuser `postgres`, trust auth, database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

// initdb and postgres refuse to run as root, and tests run as root here and in CI: run them as the
// `postgres` OS user. As any other user, run them as that user.
export function serverUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

// Clusters whose stop() never ran (a worker killed on timeout, a crash) would outlive the test run.
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [proc, root] of live) {
    // SIGQUIT: postgres's immediate shutdown, the only kind that fits in a synchronous exit handler.
    proc.kill('SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  }
});

/** A port nothing listens on right now, on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function run(cmd: string, args: string[], user: OsUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(BIN, cmd), args, { ...user, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${stderr.trim()}`))));
  });
}

export async function waitForConnections(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited ${server.exitCode}: ${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      // 57P03: "the database system is starting up"; ECONNREFUSED: not listening yet.
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections: ${(err as Error).message}\n${log()}`, { cause: err });
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const user = serverUser();
  const root = await mkdtemp(join(tmpdir(), 'onramp-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = root;
  if (user) await chown(root, user.uid, user.gid);
  // postgres checks the data dir's mode, and its socket dir must be writable by the server.
  await chmod(root, 0o700);

  let server: ChildProcess | undefined;
  try {
    await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], user);
    const port = await freePort();
    server = spawn(
      join(BIN, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
        '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    server.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4_000)));
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    live.set(server, root);
    await waitForConnections(url, server, () => log);

    const proc = server;
    let stopping: Promise<void> | undefined;
    return {
      url,
      stop() {
        stopping ??= (async () => {
          if (proc.exitCode === null) {
            const exited = new Promise<void>((r) => proc.once('exit', () => r()));
            await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'], user).catch(() => proc.kill('SIGKILL'));
            await exited;
          }
          live.delete(proc);
          await rm(root, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (err) {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((r) => server!.once('exit', r));
    }
    if (server) live.delete(server);
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

export interface SharedPostgres {
  /** The cluster's `postgres` database. Valid after beforeAll. */
  readonly url: string;
  /** A new empty database on the shared cluster, for tests that need a clean slate. */
  createDatabase(): Promise<string>;
}

let databases = 0;

/**
 * One cluster per test file (a cluster costs about half a second; a database, tens of ms): call at
 * the top level of the file or of a describe block.
 */
export function useTestPostgres(): SharedPostgres {
  let cluster: TestPostgres | undefined;
  beforeAll(async () => {
    cluster = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  const current = () => {
    if (!cluster) throw new Error('useTestPostgres: the cluster starts in beforeAll; use it inside tests or hooks');
    return cluster;
  };
  return {
    get url() {
      return current().url;
    },
    async createDatabase() {
      const base = current().url;
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client(base);
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(base);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}
