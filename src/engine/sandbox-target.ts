// The embedded sandbox as a target: everything comes from its ready event, so journeys that pass
// here run unchanged against a configured target with the same fields.
import type { RunningSandbox } from '../sandbox/start.ts';
import { secret } from './secret.ts';
import type { Target } from './target.ts';

export function sandboxTarget(s: RunningSandbox): Target {
  const ready = s.ready();
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
    sandbox: { controlToken: secret(ready.controlToken, 'sandbox'), pool: s.databaseUrl ? undefined : s.pool },
  };
}
