// Targets for the engine: from a test platform (IdP + API on PostgreSQL 15), or one local test server.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import { loadContracts } from '../../src/contracts/index.ts';
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import type { TestPlatform } from '../../../sandbox/test/support/platform.ts';

export function targetFor(env: Pick<TestPlatform, 'url' | 'idp'>, over: Partial<Target> = {}): Target {
  return {
    name: 'test-sandbox',
    apiUrl: env.url,
    idpUrl: env.idp.url,
    realm: 'sandbox',
    loginClient: { clientId: 'onramp-canary', clientSecret: secret('sandbox-canary-secret') },
    adminClient: { clientId: 'platform-admin', clientSecret: secret('sandbox-admin-secret') },
    systemAdmin: { username: 'sysadmin', password: secret('Sandbox-Admin-2026!') },
    production: false,
    ...over,
  };
}

/** A Target whose API, IdP (and console) are all one local test server; no login is expected to work. */
export function targetAt(url: string, over: Partial<Target> = {}): Target {
  return {
    name: 'test-server',
    apiUrl: url,
    idpUrl: url,
    realm: 'r',
    loginClient: { clientId: 'c' },
    adminClient: { clientId: 'a', clientSecret: secret('admin-secret') },
    systemAdmin: { username: 'u', password: secret('pw-secret-1') },
    production: false,
    ...over,
  };
}

/**
 * One local test server answering every request with `handler`, and an http executor with the
 * shipped contracts, for the tests of one file or describe block: started before them, closed after.
 */
export function useLocalApi(handler: RequestListener): { readonly url: string; readonly executor: StepExecutor } {
  const env = {} as { url: string; executor: StepExecutor; server: Server };
  beforeAll(async () => {
    env.server = createServer(handler);
    await new Promise<void>((r) => env.server.listen(0, '127.0.0.1', r));
    env.url = `http://127.0.0.1:${(env.server.address() as AddressInfo).port}`;
    env.executor = createHttpExecutor({ contracts: await loadContracts() });
  });
  afterAll(async () => {
    await env.executor?.close?.();
    await new Promise((r) => env.server?.close(r));
  });
  return env;
}
