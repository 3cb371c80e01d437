// Loads onramp's config (YAML, or TypeScript/JavaScript exporting the same object), validates it
// against contracts/config.schema.json, and resolves secret references (env or file) into Secret
// values. Every problem is collected and named by its path; a secret's value is never echoed.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { secret, type Secret } from '../engine/secret.ts';
import type { Target } from '../engine/target.ts';
import type { SelectorOverrides } from '../engine/browser/selectors.ts';
import type { BrowserSettings } from '../engine/executors/browser.ts';

export const CONFIG_SCHEMA_FILE = fileURLToPath(new URL('../../contracts/config.schema.json', import.meta.url));

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface OnrampConfig {
  file: string;
  targets: Map<string, Target>;
  journeys: { dir?: string; include?: string[]; tags?: string[] };
  contracts?: string;
  browser?: BrowserSettings;
  defaults: { target?: string; retries?: number; reporters?: string[]; output?: string };
}

type SecretRef = { env: string } | { file: string };
interface RawTarget {
  api_url: string;
  console_url?: string;
  idp_url: string;
  realm: string;
  login_client: { client_id: string; client_secret?: SecretRef };
  admin_client: { client_id: string; client_secret: SecretRef };
  system_admin: { username: string; password: SecretRef };
  database_url?: SecretRef;
  production?: boolean;
  selectors?: SelectorOverrides;
}
interface RawBrowser {
  executable_path?: string;
  headless?: boolean;
  trace?: 'on-failure' | 'on';
  action_timeout_ms?: number;
  selectors?: SelectorOverrides;
}
interface RawConfig {
  targets: Record<string, RawTarget>;
  journeys?: OnrampConfig['journeys'];
  contracts?: string;
  browser?: RawBrowser;
  defaults?: OnrampConfig['defaults'];
}

export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<OnrampConfig> {
  const raw = await readRaw(file);
  const problems = await schemaProblems(raw);
  if (problems.length) throw new ConfigError(file, problems);
  const cfg = raw as RawConfig;
  const base = dirname(resolve(file));
  const targets = new Map<string, Target>();
  for (const [name, t] of Object.entries(cfg.targets)) {
    const at = (field: string) => `targets.${name}.${field}`;
    const get = async (ref: SecretRef | undefined, field: string) => (ref ? resolveSecret(ref, at(field), base, env, problems) : undefined);
    const [loginSecret, adminSecret, password, dbUrl] = await Promise.all([
      get(t.login_client.client_secret, 'login_client.client_secret'),
      get(t.admin_client.client_secret, 'admin_client.client_secret'),
      get(t.system_admin.password, 'system_admin.password'),
      get(t.database_url, 'database_url'),
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
      ...(t.selectors ? { selectors: t.selectors } : {}),
    });
  }
  if (cfg.defaults?.target && cfg.defaults.target !== 'sandbox' && !targets.has(cfg.defaults.target)) {
    problems.push(`defaults.target: no target named "${cfg.defaults.target}" (known: sandbox, ${[...targets.keys()].join(', ')})`);
  }
  if (problems.length) throw new ConfigError(file, problems);
  const rel = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p));
  return {
    file,
    targets,
    journeys: { ...cfg.journeys, dir: rel(cfg.journeys?.dir) },
    contracts: rel(cfg.contracts),
    ...(cfg.browser ? { browser: browserSettings(cfg.browser, rel) } : {}),
    defaults: { ...cfg.defaults, output: rel(cfg.defaults?.output) },
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

async function readRaw(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.ts' || ext === '.js' || ext === '.mjs') {
    try {
      const mod = await import(pathToFileURL(resolve(file)).href);
      return mod.default ?? mod.config;
    } catch (err) {
      throw new ConfigError(file, [`cannot load: ${(err as Error).message.split('\n')[0]}`]);
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return doc.toJS();
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
async function schemaProblems(raw: unknown): Promise<string[]> {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(await readFile(CONFIG_SCHEMA_FILE, 'utf8')));
  }
  if (validator(raw)) return [];
  return describeErrors(validator.errors ?? []);
}

/** ajv's errors as `path: problem`, one per place, with secret alternatives folded into one line. */
export function describeErrors(errors: ErrorObject[]): string[] {
  const out = new Map<string, string>();
  const path = (p: string) => p.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(top level)';
  for (const e of errors) {
    if (e.schemaPath.includes('/$defs/secret/')) {
      out.set(path(e.instancePath), `${path(e.instancePath)}: must be a reference, {env: NAME} or {file: PATH}, never an inline value`);
      continue;
    }
    if (e.keyword === 'oneOf' || e.keyword === 'allOf') continue;
    let text: string;
    if (e.keyword === 'required') text = `${path(e.instancePath)}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    else if (e.keyword === 'additionalProperties') text = `${[path(e.instancePath), (e.params as { additionalProperty: string }).additionalProperty].filter((p) => p !== '(top level)').join('.')}: unknown field`;
    else if (e.keyword === 'propertyNames') text = `${path(e.instancePath)}: target name "${(e.params as { propertyName: string }).propertyName}" is not allowed (lower-case letters, digits, - and _; "sandbox" is built in)`;
    else if (e.keyword === 'pattern' && e.schemaPath.includes('/url/')) text = `${path(e.instancePath)}: must be an http(s) URL`;
    else if (e.keyword === 'enum') text = `${path(e.instancePath)}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    else text = `${path(e.instancePath)}: ${e.message}`;
    out.set(text, text);
  }
  return [...out.values()];
}

async function resolveSecret(ref: SecretRef, at: string, base: string, env: NodeJS.ProcessEnv, problems: string[]): Promise<Secret | undefined> {
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined || v === '') problems.push(`${at}: environment variable ${ref.env} is not set`);
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
