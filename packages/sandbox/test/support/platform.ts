// IdP + platform API on a fresh database of a throwaway PostgreSQL 15 cluster, for API tests.
//   const env = useTestPlatform();                // once per file: started in beforeAll, closed in afterAll
// or by hand:
//   const pg = useTestPostgres();                 // once per file
//   const env = await startTestPlatform(pg, { faults: ['session_partial'] });
// The fixtures (env.signup, env.newTenant, ...) are in ./platform-fixtures.ts.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import type pg from 'pg';
import { createPool } from '../../src/db/pool.ts';
import pino from 'pino';
import { Writable } from 'node:stream';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { startPlatform } from '../../src/platform/start.ts';
import type { KeycloakSettings, PlatformContext } from '../../src/platform/context.ts';
import { FaultSet } from '../../src/faults/fault-set.ts';
import { startWorker, type Worker } from '../../src/platform/worker.ts';
import { afterAll, beforeAll } from 'vitest';
import { useTestPostgres, type SharedPostgres } from '../../../../test/support/postgres.ts';
import { platformFixtures, type PlatformFixtures } from './platform-fixtures.ts';

export { PASSWORD, INITIAL_PASSWORD, NEW_PASSWORD } from './platform-fixtures.ts';

export interface TestPlatform extends PlatformFixtures {
  idp: RunningIdp;
  url: string;
  ctx: PlatformContext;
  pool: pg.Pool;
  faults: FaultSet;
  /** Every JSON log line the platform wrote. */
  logs: Record<string, unknown>[];
  /** An access token from the canary client's password grant. */
  login(username: string, password: string): Promise<string>;
  sysadminToken(): Promise<string>;
  /** fetch against the platform with JSON in and out. */
  api(method: string, path: string, o?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  faults?: string[];
  keycloak?: Partial<KeycloakSettings>;
}

/**
 * A cluster (useTestPostgres) and a platform on it for the whole file: call at the top level of the
 * file. The returned object is filled in beforeAll and closed in afterAll.
 */
export function useTestPlatform(o: TestPlatformOptions = {}): TestPlatform {
  const db = useTestPostgres();
  const env = {} as TestPlatform;
  beforeAll(async () => {
    Object.assign(env, await startTestPlatform(db, o));
  }, 60_000);
  afterAll(async () => {
    await env.close?.();
  });
  return env;
}

/**
 * The reconciliation worker of a useTestPlatform platform, started in beforeAll and stopped in
 * afterAll (before the platform closes). Its interval is an hour: ticks come from the tests
 * (runOnce), not from the clock.
 */
export function useTestWorker(env: TestPlatform): Worker {
  const worker = {} as Worker;
  beforeAll(() => {
    Object.assign(worker, startWorker(env.ctx, { intervalMs: 3_600_000 }));
  });
  afterAll(async () => {
    await worker.stop?.();
  });
  return worker;
}

export async function startTestPlatform(db: SharedPostgres, o: TestPlatformOptions = {}): Promise<TestPlatform> {
  const url = await db.createDatabase();
  // Idle connections die when the cluster stops at the end of a file; that is expected here.
  const pool = createPool(url, { max: 5, onError: () => undefined });
  const idp = await startIdp({ realmFile: DEFAULT_REALM_FILE, database: pool });
  const faults = new FaultSet(o.faults ?? []);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  const platform = await startPlatform({
    pool,
    faults,
    keycloak: { url: idp.url, realm: 'sandbox', adminClientId: 'platform-admin', adminClientSecret: 'sandbox-admin-secret', ...o.keycloak },
    systemAdmins: ['sysadmin'],
    log: pino({ base: undefined }, sink),
  });
  const login = async (username: string, password: string) => {
    const res = await fetch(`${idp.url}/realms/sandbox/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'onramp-canary', client_secret: 'sandbox-canary-secret', username, password }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const api: TestPlatform['api'] = async (method, path, a = {}) => {
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers: { ...(a.token ? { authorization: `Bearer ${a.token}` } : {}), ...(a.body !== undefined ? { 'content-type': 'application/json' } : {}), ...a.headers },
      body: a.body === undefined ? undefined : typeof a.body === 'string' ? a.body : JSON.stringify(a.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return {
    idp, url: platform.url, ctx: platform.ctx, pool, faults, logs, login, api,
    ...platformFixtures({ idp, ctx: platform.ctx, pool, api, login }),
    sysadminToken: () => login('sysadmin', 'Sandbox-Admin-2026!'),
    async close() {
      await platform.close();
      await idp.close();
      await pool.end();
    },
  };
}
