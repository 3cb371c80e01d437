// What every command shares: usage errors (exit 2) and where a config file is looked for.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type LoadOptions, type OnrampConfig } from '../config/load.ts';

export const DEFAULT_CONFIG_FILES = ['onramp.config.yaml', 'onramp.config.yml', 'onramp.config.ts'];

/** An error the CLI prints without a stack and answers with exit code 2. */
export const usageError = (message: string) => Object.assign(new Error(message), { exitCode: 2 });

/** The explicit --config, else the first default config file in the working directory. */
export const findConfigFile = (explicit?: string) => explicit ?? DEFAULT_CONFIG_FILES.find((f) => existsSync(f));

/**
 * The config (explicit or found), its problems added to the command's own instead of thrown; with
 * `o.select`, only the selected target's secrets are resolved (see LoadOptions).
 */
export async function loadConfigCollecting(explicit: string | undefined, problems: string[], o: LoadOptions = {}): Promise<{ config?: OnrampConfig; configFile?: string }> {
  const configFile = findConfigFile(explicit);
  if (!configFile) return {};
  // Named on the command line but absent: the option and where it was looked for, nothing else to report.
  if (explicit !== undefined && !existsSync(explicit)) {
    problems.push(`--config: no such file: ${resolve(explicit)}`);
    return { configFile };
  }
  try {
    return { config: await loadConfig(configFile, process.env, o), configFile };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err.message);
    return { configFile };
  }
}

/** Every problem at once, in one block under the command's prefix, then the usage line. */
export const usageProblems = (problems: string[], usageLine: string) =>
  usageError(`${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`}\nUsage: ${usageLine}`);

/** --database, else DATABASE_URL (an empty one counts as unset), and how to name it in an error. */
export function databaseOption(flagValue: string | undefined, env: NodeJS.ProcessEnv = process.env): { url?: string; flag: string } {
  if (flagValue !== undefined) return { url: flagValue, flag: '--database' };
  return { url: env.DATABASE_URL || undefined, flag: 'DATABASE_URL' };
}
