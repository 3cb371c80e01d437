// `onramp sandbox`: the whole embedded platform (IdP, API, worker, console) until SIGINT/SIGTERM.
// The sandbox's package (@onramp/sandbox: oidc-provider, PGlite, argon2) is imported when the command
// runs, so other commands never load it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { databaseOption, usageError, usageProblems } from './common.ts';
import { waitForShutdown } from './shutdown.ts';
import { outputFileProblem } from './output-file.ts';
import { SANDBOX_CONFIG_TARGET, writeSandboxConfig } from '../config/sandbox-config.ts';
import { loadSandbox, sandboxOptionOf } from '../app/sandbox.ts';

const USAGE = '[--json] [--port-base N] [--fault NAME]... [--database URL] [--data-dir DIR] [--write-config FILE]';

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'Start the embedded sandbox: identity provider, platform API, worker and console',
  usage: USAGE,
  help: {
    options: [
      { flag: '--json', description: 'print one JSON line when ready (URLs, demo credentials, control token) instead of the summary', default: 'off' },
      { flag: '--port-base N', description: 'fixed ports: IdP N, platform API N+1, console N+2', default: 'free ports' },
      { flag: '--fault NAME', description: 'switch a fault on from the start (names: see README); at runtime: POST {platform}/__sandbox/faults', repeatable: true, default: 'none' },
      { flag: '--database URL', description: 'a Postgres (postgres://user:password@host:port/db) for the state', default: 'DATABASE_URL, else embedded PGlite' },
      { flag: '--data-dir DIR', description: 'keep the embedded PGlite database in DIR across restarts', default: 'in memory' },
      { flag: '--write-config FILE', description: `write an onramp config with the running sandbox as target "${SANDBOX_CONFIG_TARGET}" (secrets in FILE.secrets/)`, default: 'a temporary file, removed on exit' },
    ],
    examples: [
      { command: 'onramp sandbox', description: 'start on free ports with an in-memory database; prints the URLs and the `onramp run` command for it' },
      { command: 'onramp sandbox --port-base 8080 --fault idp_slow --write-config sandbox.yaml', description: 'fixed ports, a slow IdP, and a config for: onramp run --config sandbox.yaml --target local' },
      { command: 'onramp sandbox --json --data-dir .onramp-data', description: 'one JSON ready line for scripts; users and keys survive a restart' },
    ],
    notes: ['Runs until SIGINT or SIGTERM (exit 0). Exit 2 when an option is wrong (its name is in the message). The embedded database starts from a snapshot cached in $ONRAMP_CACHE_DIR (default ~/.cache/onramp).'],
  },
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        'port-base': { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        database: { type: 'string' },
        'data-dir': { type: 'string' },
        'write-config': { type: 'string' },
      },
      strict: true,
    });
    const problems: string[] = [];
    const portBase = values['port-base'] === undefined ? undefined : Number(values['port-base']);
    if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 1 || portBase > 65533)) {
      problems.push(`--port-base: expected a port number (N, N+1 and N+2 are used), got "${values['port-base']}"`);
    }
    // Checked before anything listens: a sandbox must not start and then fail to write its config.
    const writeConfig = values['write-config'];
    const writeProblem = writeConfig === undefined ? undefined : await outputFileProblem(writeConfig, '.secrets');
    if (writeProblem) problems.push(`--write-config: ${writeProblem}`);
    if (problems.length) throw usageProblems(problems, `onramp sandbox ${USAGE}`);
    const provider = await loadSandbox('onramp sandbox runs it');
    const database = databaseOption(values.database);
    const flag: Record<string, string> = { databaseUrl: database.flag, dataDir: '--data-dir', portBase: '--port-base', faults: '--fault' };
    let sandbox;
    try {
      sandbox = await provider.start({ portBase, faults: values.fault, databaseUrl: database.url, dataDir: values['data-dir'] });
    } catch (err) {
      const option = sandboxOptionOf(err);
      if (option) throw usageError(flag[option] ? `${flag[option]}: ${(err as Error).message}` : (err as Error).message);
      throw err;
    }
    const ready = sandbox.ready();
    // Human output always shows a working `onramp run` command: without --write-config its config
    // goes to a temporary folder that is removed on exit.
    const temporary = writeConfig !== undefined || values.json ? undefined : await mkdtemp(join(tmpdir(), 'onramp-sandbox-'));
    const configFile = writeConfig ?? (temporary ? join(temporary, 'onramp.config.yaml') : undefined);
    try {
      if (configFile) await writeSandboxConfig(configFile, { ...ready, databaseUrl: database.url });
    } catch (err) {
      await sandbox.close();
      throw usageError(`--write-config: cannot write ${configFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // Listening before the ready line: a caller may signal as soon as it reads it.
    const stopped = waitForShutdown();
    if (values.json) console.log(JSON.stringify(configFile ? { ...ready, config: configFile } : ready));
    else {
      console.log('onramp sandbox ready');
      console.log(`  console:  ${ready.console}`);
      console.log(`  platform: ${ready.platform}`);
      console.log(`  idp:      ${ready.idp} (realm ${ready.realm})`);
      console.log(`  system admin: ${ready.systemAdmin.username} / ${ready.systemAdmin.password}  (sandbox-only demo credentials)`);
      console.log(`  faults on: ${ready.faults.length ? ready.faults.join(', ') : 'none'}  (switch: POST ${ready.platform}/__sandbox/faults with Authorization: Bearer ${ready.controlToken})`);
      console.log(`Run the journeys against it (from another shell, while this runs):`);
      console.log(`  onramp run --config ${configFile} --target ${SANDBOX_CONFIG_TARGET}`);
      console.log('Press Ctrl+C to stop.');
    }
    await stopped;
    await sandbox.close();
    if (temporary) await rm(temporary, { recursive: true, force: true });
    return 0;
  },
};
