// A Target for the engine from a test platform (IdP + API on PostgreSQL 15).
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import type { TestPlatform } from './platform.ts';

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
