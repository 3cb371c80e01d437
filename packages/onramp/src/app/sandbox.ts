// The one door from onramp to its test bed, @onramp/sandbox: a separate, optional package, imported
// only when a run uses it, so a run against staging never loads it and a canary image need not
// contain it. onramp declares here the shape it relies on; the sandbox implements it
// (test/app/sandbox-provider.test.ts holds the two together).
import type { Logger } from 'pino';
import { secret } from '../engine/secret.ts';
import type { Target } from '../engine/target.ts';
import type { DbSession } from '../engine/db-session.ts';

export const SANDBOX_PACKAGE = '@onramp/sandbox';

export interface SandboxReady {
  idp: string;
  realm: string;
  adminClient: { clientId: string; clientSecret: string };
  canaryClient: { clientId: string; clientSecret: string };
  consoleClient: { clientId: string; redirectUri: string };
  systemAdmin: { username: string; password: string };
  platform: string;
  console: string;
  /** The sandbox's Loki-compatible API over its log lines (absent in older sandboxes). */
  loki?: string;
  faults: string[];
  controlToken: string;
}

export interface SandboxHandle {
  ready(): SandboxReady;
  databaseUrl?: string;
  connect?: () => Promise<DbSession>;
  close(): Promise<void>;
}

export interface IdpHandle {
  ready(): Omit<SandboxReady, 'platform' | 'console' | 'loki' | 'faults' | 'controlToken'>;
  close(): Promise<void>;
}

export interface SandboxProvider {
  faults: readonly { name: string; title: string; description: string }[];
  start(o: {
    faults?: string[];
    log?: Logger;
    workerIntervalMs?: number;
    portBase?: number;
    databaseUrl?: string;
    dataDir?: string;
  }): Promise<SandboxHandle>;
  startIdp(o: { port?: number; realmFile?: string; databaseUrl?: string }): Promise<IdpHandle>;
}

/** What a start failure blames, by the sandbox's option name (SandboxOptionError). */
export const sandboxOptionOf = (err: unknown): string | undefined =>
  err instanceof Error && err.name === 'SandboxOptionError' ? (err as Error & { option: string }).option : undefined;

/** Thrown when a run needs the sandbox and it is not installed; the CLI exits 2 with this text. */
export class SandboxMissingError extends Error {
  readonly exitCode = 2;
  constructor(why: string) {
    super(
      `${why}, and the embedded sandbox (${SANDBOX_PACKAGE}) is not installed.\n` +
        `  - to run against your platform: name a target in onramp.config.yaml and pass --target NAME (or set defaults.target)\n` +
        `  - to run on the embedded sandbox: npm i -D ${SANDBOX_PACKAGE}`,
    );
    this.name = 'SandboxMissingError';
  }
}

let provider: Promise<SandboxProvider> | undefined;

/** The sandbox package, loaded once; `why` says what needed it, for the install hint. */
export function loadSandbox(why = 'no target is configured'): Promise<SandboxProvider> {
  provider ??= import(SANDBOX_PACKAGE).then(
    (m) => m as SandboxProvider,
    (err: NodeJS.ErrnoException) => {
      provider = undefined;
      if (err?.code === 'ERR_MODULE_NOT_FOUND' && err.message.includes(SANDBOX_PACKAGE)) throw new SandboxMissingError(why);
      throw err;
    },
  );
  return provider;
}

/** The sandbox's fault names, or undefined when it is not installed (a running sandbox then judges). */
export async function sandboxFaultNames(): Promise<string[] | undefined> {
  try {
    return (await loadSandbox()).faults.map((f) => f.name);
  } catch (err) {
    if (err instanceof SandboxMissingError) return undefined;
    throw err;
  }
}

/** The embedded sandbox as a target: everything from its ready line, as a configured target would have it. */
export function sandboxTarget(s: SandboxHandle): Target {
  const ready = s.ready();
  const connect = s.connect;
  return {
    name: 'sandbox',
    apiUrl: ready.platform,
    consoleUrl: ready.console,
    idpUrl: ready.idp,
    realm: ready.realm,
    loginClient: { clientId: ready.canaryClient.clientId, clientSecret: secret(ready.canaryClient.clientSecret, 'sandbox') },
    adminClient: { clientId: ready.adminClient.clientId, clientSecret: secret(ready.adminClient.clientSecret, 'sandbox') },
    systemAdmin: { username: ready.systemAdmin.username, password: secret(ready.systemAdmin.password, 'sandbox') },
    databaseUrl: s.databaseUrl ? secret(s.databaseUrl, 'sandbox') : undefined,
    production: false,
    sandbox: { controlToken: secret(ready.controlToken, 'sandbox'), ...(connect ? { connect } : {}) },
  };
}
