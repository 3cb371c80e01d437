// `onramp sandbox idp`: the sandbox identity provider alone, until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startIdp } from '../sandbox/idp/start.ts';
import { RealmFileError } from '../sandbox/idp/realm/load.ts';
import { DEFAULT_REALM_FILE } from '../sandbox/idp/realm/default-file.ts';
import { idpReadyEvent } from '../sandbox/idp/ready.ts';
import type { Command } from '../cli.ts';
import { usageError } from './common.ts';
import { DatabaseUrlError, probeDatabase } from '../db/url.ts';
import { waitForShutdown } from './shutdown.ts';

export const sandboxIdpCommand: Command = {
  name: 'sandbox idp',
  summary: 'Start the sandbox identity provider (Keycloak 26 compatible) on its own',
  usage: '[--json] [--port N] [--realm-file FILE] [--database URL]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        port: { type: 'string' },
        'realm-file': { type: 'string' },
        database: { type: 'string' },
      },
      strict: true,
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port: expected a port number, got "${values.port}"`);
    const database = values.database ?? (process.env.DATABASE_URL || undefined);
    let idp;
    try {
      if (database) await probeDatabase(database);
      idp = await startIdp({ realmFile: values['realm-file'] ?? DEFAULT_REALM_FILE, port, database });
    } catch (err) {
      if (err instanceof RealmFileError) throw usageError(err.message);
      if (err instanceof DatabaseUrlError) throw usageError(`${values.database !== undefined ? '--database' : 'DATABASE_URL'}: ${err.message}`);
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw usageError(`--port: port ${port} is in use`);
      throw err;
    }
    const ready = idpReadyEvent(idp);
    if (values.json) console.log(JSON.stringify(ready));
    else {
      console.log(`Sandbox identity provider ready at ${ready.idp} (realm ${ready.realm})`);
      console.log(`  admin client:  ${ready.adminClient.clientId} / ${ready.adminClient.clientSecret}`);
      console.log(`  canary client: ${ready.canaryClient.clientId} / ${ready.canaryClient.clientSecret}`);
      console.log(`  console client: ${ready.consoleClient.clientId} -> ${ready.consoleClient.redirectUri}`);
      console.log(`  system admin:  ${ready.systemAdmin.username} / ${ready.systemAdmin.password}  (sandbox-only demo credentials)`);
      console.log('Press Ctrl+C to stop.');
    }
    await waitForShutdown();
    await idp.close();
    return 0;
  },
};
