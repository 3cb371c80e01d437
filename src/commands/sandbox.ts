// `onramp sandbox`: the whole embedded platform (IdP, API, worker, console) until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import type { Command } from '../cli.ts';
import { usageError } from './common.ts';
import { SandboxOptionError, startSandbox } from '../sandbox/start.ts';
import { UnknownFaultError } from '../sandbox/faults/fault-set.ts';
import { RealmFileError } from '../sandbox/idp/realm/load.ts';
import { waitForShutdown } from './shutdown.ts';


export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Start the embedded sandbox: identity provider, platform API, worker and console',
  usage: '[--json] [--port-base N] [--fault NAME]... [--database URL] [--data-dir DIR]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        'port-base': { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        database: { type: 'string' },
        'data-dir': { type: 'string' },
      },
      strict: true,
    });
    const portBase = values['port-base'] === undefined ? undefined : Number(values['port-base']);
    if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 1 || portBase > 65533)) {
      throw usageError(`--port-base: expected a port number (N, N+1 and N+2 are used), got "${values['port-base']}"`);
    }
    const flag = { databaseUrl: values.database !== undefined ? '--database' : 'DATABASE_URL', dataDir: '--data-dir', portBase: '--port-base' };
    let sandbox;
    try {
      sandbox = await startSandbox({ portBase, faults: values.fault, databaseUrl: values.database ?? (process.env.DATABASE_URL || undefined), dataDir: values['data-dir'] });
    } catch (err) {
      if (err instanceof UnknownFaultError) throw usageError(`--fault: ${err.message}`);
      if (err instanceof RealmFileError) throw usageError(err.message);
      if (err instanceof SandboxOptionError) throw usageError(`${flag[err.option]}: ${err.message}`);
      throw err;
    }
    const ready = sandbox.ready();
    if (values.json) console.log(JSON.stringify(ready));
    else {
      console.log('onramp sandbox ready');
      console.log(`  console:  ${ready.console}`);
      console.log(`  platform: ${ready.platform}`);
      console.log(`  idp:      ${ready.idp} (realm ${ready.realm})`);
      console.log(`  system admin: ${ready.systemAdmin.username} / ${ready.systemAdmin.password}  (sandbox-only demo credentials)`);
      console.log(`  faults on: ${ready.faults.length ? ready.faults.join(', ') : 'none'}  (switch: POST ${ready.platform}/__sandbox/faults with Authorization: Bearer ${ready.controlToken})`);
      console.log('Press Ctrl+C to stop.');
    }
    await waitForShutdown();
    await sandbox.close();
    return 0;
  },
};
