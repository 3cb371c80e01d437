// Targets for the engine: from a test platform (IdP + API on PostgreSQL 15), or one local test server.
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
