// Loads onramp's config (YAML, or TypeScript/JavaScript exporting the same object), validates it
// against contracts/config.schema.json, and resolves secret references (env or file) into Secret
// values. Every problem is collected and named by its path; a secret's value is never echoed.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './error.ts';
import { readConfigFile } from './read.ts';
import { describeErrors } from './schema-errors.ts';
import { configValidator, type ConfigValidate } from './validator.ts';
import { secret, type Secret } from '../engine/secret.ts';
import type { Target } from '../engine/target.ts';
import type { RequirableKind } from '../engine/results.ts';
import { mapMonitor, type MonitorConfig, type RawMonitor } from './monitor.ts';

export { ConfigError };
import type { SelectorOverrides } from '../engine/browser/selectors.ts';
import type { BrowserSettings } from '../engine/executors/browser.ts';

export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../../contracts/config.schema.json', import.meta.url));

export interface OnrampConfig {
  file: string;
  /** The targets whose secrets were resolved: the selected one (see LoadOptions), or every one. */
  targets: Map<string, Target>;
  /** Every target the file names, in its order, resolved or not. */
  targetNames: string[];
  /** `dir`: the user's journeys, beside the built-in ones unless `builtin` is false (default true). */
  journeys: { dir?: string; builtin?: boolean; include?: string[]; tags?: string[] };
  contracts?: string;
  browser?: BrowserSettings;
  defaults: { target?: string; retries?: number; reporters?: string[]; output?: string };
  monitor?: MonitorConfig;
}

export type SecretRef = { env: string } | { file: string };
export interface RawTarget {
  api_url: string;
  console_url?: string;
  idp_url: string;
  realm: string;
  login_client: { client_id: string; client_secret?: SecretRef };
  admin_client: { client_id: string; client_secret: SecretRef };
  system_admin: { username: string; password: SecretRef };
  database_url?: SecretRef;
  production?: boolean;
  require?: RequirableKind[];
  logs?: { service?: string; loki_url?: string; grafana_url?: string; grafana_datasource?: string; file?: string };
  sandbox?: { control_token: SecretRef };
  selectors?: SelectorOverrides;
}
export interface RawBrowser {
  executable_path?: string;
  headless?: boolean;
  trace?: 'on-failure' | 'on';
  action_timeout_ms?: number;
  selectors?: SelectorOverrides;
}
export interface RawConfig {
  /** Without targets, journeys run on the embedded sandbox. */
  targets?: Record<string, RawTarget>;
  journeys?: OnrampConfig['journeys'];
  contracts?: string;
  browser?: RawBrowser;
  defaults?: OnrampConfig['defaults'];
  monitor?: RawMonitor;
}

/**
 * `select`: resolve the secrets of one target only, `select.target` or else the file's
 * defaults.target (none when that names no configured target, e.g. `sandbox`). A command runs
 * against one target: another target's unset variable or unreadable file is not its problem. Every
 * target is still checked for shape. Without `select`, or when neither names a target (the command
 * then asks which), every target's secrets are resolved, so one block says everything.
 */
export interface LoadOptions {
  select?: { target?: string };
}

export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env, o: LoadOptions = {}): Promise<OnrampConfig> {
  const raw = await readConfigFile(file);
  const problems = await schemaProblems(raw);
  if (problems.length) throw new ConfigError(file, problems);
  const cfg = raw as RawConfig;
  const base = dirname(resolve(file));
  const rel = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p));
  const targets = new Map<string, Target>();
  const targetNames = Object.keys(cfg.targets ?? {});
  const selected = o.select ? (o.select.target ?? cfg.defaults?.target) : undefined;
  for (const [name, t] of Object.entries(cfg.targets ?? {})) {
    if (selected !== undefined && name !== selected) continue;
    const at = (field: string) => `targets.${name}.${field}`;
    const get = async (ref: SecretRef | undefined, field: string) => (ref ? resolveSecret(ref, at(field), base, env, problems) : undefined);
    const [loginSecret, adminSecret, password, dbUrl, controlToken] = await Promise.all([
      get(t.login_client.client_secret, 'login_client.client_secret'),
      get(t.admin_client.client_secret, 'admin_client.client_secret'),
      get(t.system_admin.password, 'system_admin.password'),
      get(t.database_url, 'database_url'),
      get(t.sandbox?.control_token, 'sandbox.control_token'),
    ]);
    targets.set(name, {
      name,
      apiUrl: t.api_url,
      consoleUrl: t.console_url,
      idpUrl: t.idp_url.replace(/\/$/, ''),
      realm: t.realm,
      loginClient: { clientId: t.login_client.client_id, clientSecret: loginSecret },
      adminClient: { clientId: t.admin_client.client_id, clientSecret: adminSecret! },
      systemAdmin: { username: t.system_admin.username, password: password! },
      databaseUrl: dbUrl,
      production: t.production ?? false,
      ...(t.require?.length ? { require: t.require } : {}),
      ...(t.logs ? { logs: { service: t.logs.service, lokiUrl: t.logs.loki_url, grafanaUrl: t.logs.grafana_url, grafanaDatasource: t.logs.grafana_datasource, file: rel(t.logs.file) } } : {}),
      ...(controlToken ? { sandbox: { controlToken } } : {}),
      ...(t.selectors ? { selectors: t.selectors } : {}),
    });
  }
  if (cfg.defaults?.target && cfg.defaults.target !== 'sandbox' && !targetNames.includes(cfg.defaults.target)) {
    problems.push(`defaults.target: no target named "${cfg.defaults.target}" (known: ${['sandbox', ...targetNames].join(', ')})`);
  }
  if (cfg.journeys?.builtin === false && !cfg.journeys.dir) {
    problems.push('journeys.builtin: false turns the built-in journeys off, but there is no journeys.dir with journeys of your own: nothing would run');
  }
  const monitorDb = cfg.monitor?.database_url ? await resolveSecret(cfg.monitor.database_url, 'monitor.database_url', base, env, problems) : undefined;
  const monitor = cfg.monitor ? mapMonitor(cfg.monitor, monitorDb, problems, rel) : undefined;
  if (problems.length) throw new ConfigError(file, problems);
  return {
    file,
    targets,
    targetNames,
    journeys: { ...cfg.journeys, dir: rel(cfg.journeys?.dir) },
    contracts: rel(cfg.contracts),
    ...(cfg.browser ? { browser: browserSettings(cfg.browser, rel) } : {}),
    defaults: { ...cfg.defaults, output: rel(cfg.defaults?.output) },
    ...(monitor ? { monitor } : {}),
  };
}

function browserSettings(b: RawBrowser, rel: (p: string | undefined) => string | undefined): BrowserSettings {
  return {
    executablePath: rel(b.executable_path),
    headless: b.headless,
    traceAll: b.trace === 'on',
    actionTimeoutMs: b.action_timeout_ms,
    selectors: b.selectors,
  };
}

let validator: ConfigValidate | undefined;
async function schemaProblems(raw: unknown): Promise<string[]> {
  validator ??= await configValidator(CONFIG_SCHEMA_FILE);
  if (validator(raw)) return [];
  return describeErrors(validator.errors ?? []);
}

async function resolveSecret(ref: SecretRef, at: string, base: string, env: NodeJS.ProcessEnv, problems: string[]): Promise<Secret | undefined> {
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined) problems.push(`${at}: environment variable ${ref.env} is not set`);
    else if (v === '') problems.push(`${at}: environment variable ${ref.env} is empty`);
    return v ? secret(v, `env:${ref.env}`) : undefined;
  }
  const path = isAbsolute(ref.file) ? ref.file : resolve(base, ref.file);
  try {
    const v = (await readFile(path, 'utf8')).trim();
    if (!v) problems.push(`${at}: secret file ${ref.file} is empty`);
    return secret(v, `file:${ref.file}`);
  } catch (err) {
    problems.push(`${at}: cannot read secret file ${ref.file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}
