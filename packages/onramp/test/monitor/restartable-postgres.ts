// A throwaway PostgreSQL 15 cluster that can be stopped and started again on the same port and data
// directory, as a database restart or a short outage looks to its clients. The same recipe as
// test/support/postgres.ts, with its helpers (initdb --no-sync, fsync off, run as the `postgres` OS user
// under root).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, freePort, run, serverUser, waitForConnections } from '../../../../test/support/postgres.ts';

export interface RestartablePostgres {
  url: string;
  /** A fast shutdown (pg_ctl -m fast): clients' connections are cut, new ones are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops for good and removes the cluster. */
  remove(): Promise<void>;
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const user = serverUser();
  const root = await mkdtemp(join(tmpdir(), 'onramp-pg-outage-'));
  const dataDir = join(root, 'data');
  if (user) await chown(root, user.uid, user.gid);
  await chmod(root, 0o700);
  await run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], user);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let proc: ChildProcess | undefined;
  const killOnExit = () => proc?.kill('SIGQUIT');
  process.once('exit', killOnExit);

  const start = async () => {
    const p = spawn(join(BIN, 'postgres'), ['-D', dataDir, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], { ...user, stdio: ['ignore', 'ignore', 'ignore'] });
    proc = p;
    await waitForConnections(url, p, () => '');
  };
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'], user).catch(() => p.kill('SIGKILL'));
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async remove() {
      await stop();
      process.off('exit', killOnExit);
      await rm(root, { recursive: true, force: true });
    },
  };
}
