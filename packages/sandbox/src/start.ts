// startSandbox: the whole embedded platform in one process: database (embedded PGlite unless a
// DATABASE_URL is given), the Keycloak-compatible IdP, the platform API with its reconciliation
// worker, the web console, and the fault switches. Used by `onramp sandbox`, by tests, and by
// `onramp run --target sandbox`.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import pino from 'pino';
import { createPool } from './db/pool.ts';
import { DataDirError, startEmbeddedPostgres } from './db/embedded.ts';
import { DatabaseUrlError, probeDatabase } from './db/url.ts';
import { defaultCacheDir, snapshotFile } from './db/snapshot.ts';
import { IDP_MIGRATIONS_DIR, migrateIdp } from './idp/store/postgres.ts';
import { migratePlatform, PLATFORM_MIGRATIONS_DIR } from './platform/db/migrate.ts';
import { startIdp, type RunningIdp } from './idp/start.ts';
import { DEFAULT_REALM_FILE } from './idp/realm/default-file.ts';
import { generateRealmKeys } from './idp/keys.ts';
import { idpReadyEvent, ADMIN_CLIENT_ID, CONSOLE_CLIENT_ID, SANDBOX_REALM, SYSTEM_ADMIN_USERNAME } from './idp/ready.ts';
import { startPlatform } from './platform/start.ts';
import { startWorker, type Worker } from './platform/worker.ts';
import { createConsoleServer } from './console/index.ts';
import { FaultSet, UnknownFaultError } from './faults/fault-set.ts';
import { controlGuard, faultControlRoutes } from './control.ts';
import { dbSessionRoutes } from './db/query-route.ts';
import { LogRing } from './logs/ring.ts';
import { lokiRoutes } from './logs/loki.ts';
import { SandboxOptionError } from './option-error.ts';
import { RealmFileError } from './idp/realm/load.ts';
import type { SandboxStartOptions as StartSandboxOptions } from './provider-types.ts';

export type { StartSandboxOptions };
export { SandboxOptionError };

export interface RunningSandbox {
  idp: RunningIdp;
  platformUrl: string;
  consoleUrl: string;
  faults: FaultSet;
  controlToken: string;
  pool: pg.Pool;
  /** The external database, when one was given: a second connection to PGlite would queue forever. */
  databaseUrl?: string;
  /** The log lines its Loki-compatible API answers from (`{platformUrl}/loki/api/v1/query_range`). */
  logs: LogRing;
  /** The `--json` ready line. */
  ready(): ReturnType<typeof sandboxReadyEvent>;
  close(): Promise<void>;
}

export function sandboxReadyEvent(s: Pick<RunningSandbox, 'idp' | 'platformUrl' | 'consoleUrl' | 'faults' | 'controlToken'>) {
  return { ...idpReadyEvent(s.idp), platform: s.platformUrl, console: s.consoleUrl, loki: s.platformUrl, faults: s.faults.list(), controlToken: s.controlToken };
}

export async function startSandbox(o: StartSandboxOptions = {}): Promise<RunningSandbox> {
  let faults: FaultSet;
  try {
    faults = new FaultSet(o.faults ?? []);
  } catch (err) {
    throw optionError(err, o);
  }
  // Every log line goes where it always went (stderr, or the given logger's destination) and to
  // the ring the sandbox's Loki API answers from.
  const logs = new LogRing();
  const level = o.log?.level ?? 'info';
  const destination = o.log ? ((o.log as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym] ?? pino.destination(2)) : pino.destination(2);
  const log = pino({ base: undefined, level }, pino.multistream([{ level: level as pino.Level, stream: destination }, { level: level as pino.Level, stream: logs }]));
  const host = o.host ?? '127.0.0.1';
  const port = (offset: number) => (o.portBase ? o.portBase + offset : 0);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  // A fresh embedded database has no realm keys yet: their RSA generation (a few hundred ms, off the
  // main thread) overlaps the database start instead of following it.
  const earlyKeys = o.databaseUrl || o.dataDir ? undefined : generateRealmKeys(SANDBOX_REALM);
  earlyKeys?.catch(() => {});
  try {
    // The console listens first: the realm's redirect URIs need its URL. Both are awaited to the
    // end, so a failure of one still closes the other (an open listener would keep the process up).
    const [consoleStart, databaseStart] = await Promise.allSettled([
      createConsoleServer({ port: port(2), host }),
      o.databaseUrl ? probeDatabase(o.databaseUrl) : embeddedSnapshot(o.dataDir ? false : o.cacheDir).then((snapshot) => startEmbeddedPostgres({ dataDir: o.dataDir, snapshot })),
    ]);
    if (consoleStart.status === 'fulfilled') closers.push(() => consoleStart.value.close());
    const database = databaseStart.status === 'fulfilled' ? databaseStart.value : undefined;
    if (database) closers.push(() => database.close());
    if (databaseStart.status === 'rejected') throw databaseStart.reason;
    if (consoleStart.status === 'rejected') throw consoleStart.reason;
    const console_ = consoleStart.value;
    // PGlite serves one connection at a time, so the IdP and the platform share one.
    const pool = database ? createPool(database.url, { single: true, application_name: 'onramp-sandbox' }) : createPool(o.databaseUrl!, { max: 10, application_name: 'onramp-sandbox' });
    closers.push(() => pool.end());
    // Stopped once the IdP is closed (closers run in reverse): a reconciliation pass in flight then
    // fails fast instead of being waited out call by call (seconds under idp_slow).
    const started: { worker?: Worker } = {};
    closers.push(async () => started.worker?.stop());

    const idp = await startIdp({ realmFile: o.realmFile ?? DEFAULT_REALM_FILE, port: port(0), host, database: pool, vars: { ONRAMP_CONSOLE_URL: console_.url },
      newRealmKeys: (realm) => (earlyKeys && realm === SANDBOX_REALM ? earlyKeys : generateRealmKeys(realm)),
    });
    closers.push(() => idp.close());
    faults.onChange((active) => {
      idp.ctx.faults.slowMs = active.has('idp_slow') ? 2_500 : 0;
      idp.ctx.faults.down = active.has('idp_down');
    });
    const realm = idp.ctx.realms.get(SANDBOX_REALM)!.realm;
    const client = (id: string) => realm.clients.find((c) => c.clientId === id)!;

    const controlToken = o.controlToken ?? randomBytes(24).toString('base64url');
    const dbSessions = dbSessionRoutes(pool, controlGuard(controlToken));
    const platform = await startPlatform({
      pool,
      faults,
      keycloak: { url: idp.url, realm: SANDBOX_REALM, adminClientId: ADMIN_CLIENT_ID, adminClientSecret: client(ADMIN_CLIENT_ID).secret },
      port: port(1),
      log,
      systemAdmins: [SYSTEM_ADMIN_USERNAME],
      extraRoutes: [...faultControlRoutes(faults, controlToken), ...dbSessions, ...lokiRoutes(logs)],
    });
    closers.push(() => platform.close());
    // Before the pool ends: an open session's connection is rolled back and returned first.
    closers.push(() => dbSessions.closeAll());
    started.worker = startWorker(platform.ctx, { intervalMs: o.workerIntervalMs ?? 30_000 });

    console_.configure({ issuer: `${idp.url}/realms/${SANDBOX_REALM}`, clientId: CONSOLE_CLIENT_ID, clientSecret: client(CONSOLE_CLIENT_ID).secret!, platformUrl: platform.url, faults });

    const running: RunningSandbox = {
      idp, platformUrl: platform.url, consoleUrl: console_.url, faults, controlToken, pool, databaseUrl: o.databaseUrl, logs,
      ready: () => sandboxReadyEvent(running),
      close,
    };
    return running;
  } catch (err) {
    await close();
    throw optionError(err, o);
  }
}

/** The embedded database's snapshot: initdb and both schemas' migrations, done once per version. */
async function embeddedSnapshot(cacheDir: string | false | undefined) {
  if (cacheDir === false) return undefined;
  return {
    file: await snapshotFile(cacheDir ?? defaultCacheDir(), [IDP_MIGRATIONS_DIR, PLATFORM_MIGRATIONS_DIR]),
    async prepare(url: string) {
      const pool = createPool(url, { single: true, application_name: 'onramp-snapshot' });
      try {
        await migrateIdp(pool);
        await migratePlatform(pool);
      } finally {
        await pool.end();
      }
    },
  };
}

/** Names the option behind a start failure where one is to blame; anything else passes through. */
function optionError(err: unknown, o: StartSandboxOptions): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof DatabaseUrlError) return new SandboxOptionError('databaseUrl', err.message);
  if (o.portBase && code === 'EADDRINUSE') {
    return new SandboxOptionError('portBase', `port ${(err as { port?: number }).port ?? ''} is in use (the sandbox needs ${o.portBase}, ${o.portBase + 1} and ${o.portBase + 2})`);
  }
  if (err instanceof DataDirError) return new SandboxOptionError('dataDir', err.message);
  if (err instanceof UnknownFaultError) return new SandboxOptionError('faults', err.message);
  if (err instanceof RealmFileError) return new SandboxOptionError('realmFile', err.message);
  return err;
}
