// What @onramp/sandbox hands to onramp: plain data and functions, no classes of its own, so onramp
// needs nothing of the sandbox but this shape (it declares the same shape on its side).

/** The IdP's ready line: where it listens and the sandbox realm's demo clients and credentials. */
export interface IdpReady {
  event: 'ready';
  idp: string;
  realm: string;
  adminClient: { clientId: string; clientSecret: string };
  canaryClient: { clientId: string; clientSecret: string };
  consoleClient: { clientId: string; redirectUri: string };
  systemAdmin: { username: string; password: string };
}

/** The whole sandbox's ready line: the IdP's, and where the platform and console listen. */
export interface SandboxReady extends IdpReady {
  platform: string;
  console: string;
  /** A Loki-compatible API over the sandbox's log lines: `{loki}/loki/api/v1/query_range`. */
  loki: string;
  faults: string[];
  controlToken: string;
}

/** A pg-compatible session: onramp's db steps wrap it in their read-only transaction. */
export interface DbSession {
  query(config: { text: string; values?: unknown[]; queryMode?: 'extended' }): Promise<{ rows: Record<string, unknown>[] }>;
  query(text: string): Promise<{ rows: Record<string, unknown>[] }>;
  release(err?: Error | boolean): void;
}

export interface SandboxHandle {
  ready(): SandboxReady;
  /** The external Postgres, when one was given (db steps then connect to it themselves). */
  databaseUrl?: string;
  /** A session on the embedded database, which serves one connection: the sandbox's own. */
  connect?: () => Promise<DbSession>;
  close(): Promise<void>;
}

export interface IdpHandle {
  ready(): IdpReady;
  close(): Promise<void>;
}

export interface SandboxStartOptions {
  /** Any Postgres; default: embedded PGlite (in memory, or in `dataDir`). */
  databaseUrl?: string;
  dataDir?: string;
  /** Faults on from the start (names from `faults`). */
  faults?: string[];
  /** Fixed ports: IdP = N, platform = N+1, console = N+2. Default: free ports. */
  portBase?: number;
  host?: string;
  realmFile?: string;
  /** Token for /__sandbox/faults; default: random. */
  controlToken?: string;
  /** A pino logger for the request log; default: JSON lines on stderr. */
  log?: import('pino').Logger;
  /** Reconciliation worker interval. */
  workerIntervalMs?: number;
  /** Where the embedded database's prepared snapshot is cached; false: initdb on every start. */
  cacheDir?: string | false;
}

export interface IdpStartOptions {
  port?: number;
  realmFile?: string;
  /** A Postgres for users, sessions and keys (schema idp); default: in memory. */
  databaseUrl?: string;
}

/** The option a start failure blames. */
export type SandboxOption = 'databaseUrl' | 'dataDir' | 'portBase' | 'port' | 'faults' | 'realmFile';
