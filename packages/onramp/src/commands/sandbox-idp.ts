// `onramp sandbox idp`: the sandbox identity provider alone, until SIGINT/SIGTERM. Its code is
// imported when the command runs, so other commands never load it.
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { databaseOption, usageError } from './common.ts';
import { waitForShutdown } from './shutdown.ts';
import { loadSandbox, sandboxOptionOf } from '../app/sandbox.ts';

export const sandboxIdpCommand: Command = {
  name: 'sandbox idp',
  summary: 'Start the sandbox identity provider (Keycloak 26 compatible) on its own',
  usage: '[--json] [--port N] [--realm-file FILE] [--database URL]',
  help: {
    options: [
      { flag: '--json', description: 'print one JSON line when ready (URL, realm, demo clients and credentials)', default: 'off' },
      { flag: '--port N', description: 'the port to listen on (127.0.0.1)', default: 'a free port' },
      { flag: '--realm-file FILE', description: 'a Keycloak realm export to serve', default: "@onramp/sandbox's realm/realm-sandbox.json" },
      { flag: '--database URL', description: 'a Postgres for users, sessions and keys (schema idp)', default: 'DATABASE_URL, else in memory' },
    ],
    examples: [
      { command: 'onramp sandbox idp --port 8180', description: 'Keycloak-compatible endpoints at http://127.0.0.1:8180/realms/sandbox/...' },
      { command: 'onramp sandbox idp --json --database postgres://postgres@127.0.0.1:5432/idp', description: 'state in Postgres, kept across restarts; one JSON ready line' },
    ],
    notes: ['Runs until SIGINT or SIGTERM (exit 0). Exit 2 when an option is wrong (its name is in the message).'],
  },
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
    const provider = await loadSandbox('onramp sandbox idp runs it');
    const database = databaseOption(values.database);
    const flag: Record<string, string> = { databaseUrl: database.flag, port: '--port' };
    let idp;
    try {
      idp = await provider.startIdp({ realmFile: values['realm-file'], port, databaseUrl: database.url });
    } catch (err) {
      const option = sandboxOptionOf(err);
      if (option) throw usageError(flag[option] ? `${flag[option]}: ${(err as Error).message}` : (err as Error).message);
      throw err;
    }
    // Listening before the ready line: a caller may signal as soon as it reads it.
    const stopped = waitForShutdown();
    const ready = idp.ready();
    if (values.json) console.log(JSON.stringify(ready));
    else {
      console.log(`Sandbox identity provider ready at ${ready.idp} (realm ${ready.realm})`);
      console.log(`  admin client:  ${ready.adminClient.clientId} / ${ready.adminClient.clientSecret}`);
      console.log(`  canary client: ${ready.canaryClient.clientId} / ${ready.canaryClient.clientSecret}`);
      console.log(`  console client: ${ready.consoleClient.clientId} -> ${ready.consoleClient.redirectUri}`);
      console.log(`  system admin:  ${ready.systemAdmin.username} / ${ready.systemAdmin.password}  (sandbox-only demo credentials)`);
      console.log('Press Ctrl+C to stop.');
    }
    await stopped;
    await idp.close();
    return 0;
  },
};
