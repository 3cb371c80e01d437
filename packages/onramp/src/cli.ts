// onramp's command line: parse, then hand to one module per command. Exit codes: 0 ok, 1 a check
// failed, 2 usage or configuration error.
import { readFileSync } from 'node:fs';
import { commandHelp } from './commands/help.ts';
import type { Command } from './commands/command.ts';

export type { Command } from './commands/command.ts';
export type { CommandHelp, OptionHelp } from './commands/help.ts';

/** Each command's module loads only when that command runs: `onramp run` never loads the monitor's. */
const LOADERS: Record<string, () => Promise<Command>> = {
  run: () => import('./commands/run.ts').then((m) => m.runCommand),
  init: () => import('./commands/init.ts').then((m) => m.initCommand),
  monitor: () => import('./commands/monitor.ts').then((m) => m.monitorCommand),
  triage: () => import('./commands/triage.ts').then((m) => m.triageCommand),
  sweep: () => import('./commands/sweep.ts').then((m) => m.sweepCommand),
  sandbox: () => import('./commands/sandbox.ts').then((m) => m.sandboxCommand),
  'sandbox idp': () => import('./commands/sandbox-idp.ts').then((m) => m.sandboxIdpCommand),
};

/** Every command, in the order the help lists them. */
export const allCommands = (): Promise<Command[]> => Promise.all(Object.values(LOADERS).map((load) => load()));

async function help(): Promise<string> {
  const commands = await allCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'onramp: synthetic journeys and contract checks for onboarding and auth, with an embedded sandbox',
    '',
    'Usage: onramp <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `onramp <command> --help` for the options of one command, `onramp --version` for the version.',
  ].join('\n');
}

/** onramp's version, from its package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    console.log(version());
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(await help());
    return argv.length === 0 ? 2 : 0;
  }
  // Longest match first, so "sandbox idp" wins over "sandbox".
  const name = Object.keys(LOADERS)
    .sort((a, b) => b.length - a.length)
    .find((n) => n.split(' ').every((w, i) => argv[i] === w));
  if (!name) {
    console.error(`onramp: unknown command "${argv[0]}"\n\n${await help()}`);
    return 2;
  }
  const command = await LOADERS[name]!();
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // node:util parseArgs' own errors (unknown option, missing value) are usage errors too.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`onramp ${command.name}: ${(err as Error).message}\nUsage: onramp ${command.name} ${command.usage}`);
      return 2;
    }
    console.error(`onramp ${command.name}: ${(err as Error).message}`);
    return (err as { exitCode?: number }).exitCode ?? 1;
  }
}

