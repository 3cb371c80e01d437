// The sandbox's default database: PGlite (PostgreSQL in WebAssembly) served on a local TCP port by
// pglite-socket, so the same `pg` code that talks to a real Postgres talks to it through a plain
// connection string. In memory unless a data directory is given.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { readSnapshot, removeSnapshot, writeSnapshot } from './snapshot.ts';

export interface EmbeddedPostgresOptions {
  /** Persistent data directory; in memory when absent. */
  dataDir?: string;
  /** 0 or undefined: a free port. */
  port?: number;
  host?: string;
  /**
   * Start in memory from a prepared snapshot file instead of initdb. When the file is missing or
   * unreadable the database starts cold, `prepare` runs against it (migrations), and the result is
   * written to the file for the next start.
   */
  snapshot?: { file: string; prepare(url: string): Promise<void> };
}

export interface EmbeddedPostgres {
  /**
   * Serves one connection at a time: use createPool(url, { single: true }) and share that pool.
   * A second concurrent connection waits until the first one closes.
   */
  url: string;
  /** How the database came to be: unpacked from the snapshot, or initdb (or an existing data dir). */
  startedFrom: 'snapshot' | 'initdb' | 'data-dir';
  close(): Promise<void>;
}

/** The data directory cannot be used: not a directory, not writable, not a PGlite data directory. */
export class DataDirError extends Error {
  constructor(
    readonly dataDir: string,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirError';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir);
    await useDataDir(dataDir);
  }
  const snapshot = dataDir ? undefined : options.snapshot;
  let db: PGlite;
  let fromSnapshot: boolean;
  try {
    ({ db, fromSnapshot } = await openPglite(dataDir, snapshot?.file));
  } catch (err) {
    if (!dataDir) throw err;
    throw new DataDirError(dataDir, `${dataDir} is not a usable PGlite data directory: ${(err as Error).message ?? err}`);
  }
  // pglite-socket funnels every connection into PGlite's one backend and queues protocol messages,
  // not queries: two clients using the extended protocol would bind each other's statements. So it
  // serves one connection, and the gate in front of it hands the next client over only when the
  // previous connection is gone (a pool that replaces a broken client reconnects at once, before
  // pglite-socket has noticed the old socket closing, and would be refused).
  const backend = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  let gate: Server | undefined;
  let stopGate = async () => {};
  try {
    await backend.start();
    const [, backendPort] = backend.getServerConn().split(':');
    ({ gate, stop: stopGate } = await openGate(Number(backendPort), backend, options.host ?? '127.0.0.1', options.port ?? 0));
  } catch (err) {
    await backend.stop();
    await db.close();
    throw err;
  }
  const { address, port } = gate.address() as AddressInfo;
  const url = `postgres://postgres@${address}:${port}/postgres`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await stopGate();
      await backend.stop();
      // stop() detaches connections without waiting; a detach may still roll back an open
      // transaction on the next turn, and it must find the database open.
      await new Promise((r) => setImmediate(r));
      // PGlite holds the event loop open until closed: the process would never exit.
      await db.close();
    })();
    return closing;
  };
  if (snapshot && !fromSnapshot) {
    try {
      await snapshot.prepare(url);
    } catch (err) {
      await close();
      throw err;
    }
    // The cache only saves time: a start does not fail because it cannot be written.
    await writeSnapshot(snapshot.file, await db.dumpDataDir('none')).catch((err: NodeJS.ErrnoException) =>
      console.warn(`onramp: cannot cache the embedded database in ${snapshot.file} (${err.code ?? err.message}); the next start is cold again`),
    );
  }
  return { url, close, startedFrom: fromSnapshot ? 'snapshot' : dataDir ? 'data-dir' : 'initdb' };
}

/** PGlite from the snapshot when there is a good one, else cold (initdb). */
async function openPglite(dataDir: string | undefined, snapshotFile: string | undefined): Promise<{ db: PGlite; fromSnapshot: boolean }> {
  const image = snapshotFile ? await readSnapshot(snapshotFile) : undefined;
  if (image) {
    try {
      return { db: await PGlite.create({ loadDataDir: image }), fromSnapshot: true };
    } catch {
      // A damaged snapshot: start cold, and the fresh one written afterwards replaces it.
      await removeSnapshot(snapshotFile!);
    }
  }
  return { db: await PGlite.create(dataDir ? { dataDir } : {}), fromSnapshot: false };
}

async function useDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'exists and is not a directory' : code === 'EACCES' || code === 'EPERM' ? 'is not writable' : `cannot be used (${code ?? (err as Error).message})`;
    throw new DataDirError(dir, `${dir} ${why}`);
  }
}

/** A TCP front door that lets one client through to the backend at a time; others queue. */
async function openGate(
  backendPort: number,
  backend: PGLiteSocketServer,
  host: string,
  port: number,
): Promise<{ gate: Server; stop: () => Promise<void> }> {
  const waiting: Socket[] = [];
  const open = new Set<Socket>();
  let busy = false;
  let stopped = false;

  const backendIdle = async () => {
    // The backend drops a closed connection's handler a turn or two after the socket closes.
    for (let i = 0; i < 1_000 && backend.getStats().activeConnections > 0; i++) await new Promise((r) => setTimeout(r, 1));
  };

  const next = async () => {
    if (busy || stopped) return;
    const client = waiting.shift();
    if (!client) return;
    if (client.destroyed) return void next();
    busy = true;
    await backendIdle();
    if (stopped || client.destroyed) {
      busy = false;
      return void next();
    }
    const upstream = createConnection({ host: '127.0.0.1', port: backendPort });
    open.add(upstream);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      client.destroy();
      upstream.destroy();
    };
    upstream.once('close', () => {
      open.delete(upstream);
      finish();
      busy = false;
      void next();
    });
    client.once('close', finish);
    upstream.on('error', finish);
    client.on('error', finish);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };

  const gate = createServer({ pauseOnConnect: true }, (client) => {
    if (stopped) return void client.destroy();
    open.add(client);
    client.once('close', () => {
      open.delete(client);
      const i = waiting.indexOf(client);
      if (i >= 0) waiting.splice(i, 1);
    });
    client.on('error', () => {});
    waiting.push(client);
    void next();
  });
  await new Promise<void>((resolveListen, reject) => {
    gate.once('error', reject);
    gate.listen(port, host, () => {
      gate.off('error', reject);
      resolveListen();
    });
  });

  return {
    gate,
    async stop() {
      stopped = true;
      const closed = new Promise<void>((r) => gate.close(() => r()));
      for (const s of open) s.destroy();
      await closed;
    },
  };
}
