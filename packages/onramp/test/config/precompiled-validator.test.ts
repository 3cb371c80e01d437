// The config schema's validator as the build precompiles it (src/config/precompile.ts: Ajv
// standalone code, bundled into dist/src/config/config-validator.js) answers every config as the
// validator compiled at run time does: the same verdict and the same errors, so the same problems in
// the same words. One made from another text of the schema is not used.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE } from '../../src/config/load.ts';
import { configValidatorSource } from '../../src/config/precompile.ts';
import { describeErrors } from '../../src/config/schema-errors.ts';
import { CONFIG_AJV_OPTIONS, configValidator, PRECOMPILED_CONFIG_VALIDATOR, schemaDigest, type ConfigValidate, type PrecompiledConfigValidator } from '../../src/config/validator.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TARGET = `
    api_url: https://api.example.test
    idp_url: https://idp.example.test
    realm: platform
    login_client: { client_id: canary, client_secret: { env: CANARY } }
    admin_client: { client_id: admin, client_secret: { file: admin-secret } }
    system_admin: { username: sysadmin, password: { env: ADMIN } }`;

/** Configs that pass and configs that break each rule describeErrors words on its own. */
const CONFIGS: Record<string, unknown> = {
  good: parse(`targets:\n  staging:${TARGET}\n    production: true\n    logs: { service: api, loki_url: https://loki.example.test }\njourneys: { dir: ./journeys, tags: [api] }\ndefaults: { target: staging, retries: 1, reporters: [console, junit], output: out }\n`),
  'no targets (the sandbox)': parse('defaults: { reporters: [console] }\n'),
  'empty targets': parse('targets: {}\n'),
  'not a mapping': parse('- a\n- b\n'),
  'an empty file': null,
  'a bad target name': parse(`targets:\n  Bad_Name:${TARGET}\n`),
  'a target named sandbox': parse(`targets:\n  sandbox:${TARGET}\n`),
  'a bad env name': parse(`targets:\n  dev:${TARGET.replace('env: ADMIN', 'env: 1bad')}\n`),
  'an inline secret': parse(`targets:\n  dev:${TARGET.replace('{ env: CANARY }', '"inline-secret"')}\n`),
  'a secret with both keys': parse(`targets:\n  dev:${TARGET.replace('{ env: CANARY }', '{ env: CANARY, file: x }')}\n`),
  'many problems at once': parse(`targets:\n  staging:\n    api_url: ftp://nope\n    realm: 7\n    login_client: { client_id: c, clientsecret: x }\n    admin_client: { client_id: a, client_secret: "inline" }\n    system_admin: { username: u, password: { env: NOT_SET } }\ndefaults: { target: nowhere, retries: -1, reporters: [console, tap] }\nextra: true\n`),
  'wrong types everywhere': parse(`targets:\n  dev:${TARGET}\n    production: yes-please\njourneys: { dir: 7, builtin: maybe, tags: api }\ncontracts: [a]\nbrowser: { headless: 1, trace: sometimes, action_timeout_ms: -5 }\nmonitor: { interval: 5 }\n`),
};

/** The module as scripts/build.mjs makes it: the standalone code with ajv's runtime helpers bundled in. */
async function precompiledModule(schemaText: string, file: string): Promise<PrecompiledConfigValidator> {
  await build({ stdin: { contents: configValidatorSource(schemaText), resolveDir: ROOT, loader: 'js' }, outfile: file, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  return (await import(pathToFileURL(file).href)) as PrecompiledConfigValidator;
}

let dir: string;
let schemaText: string;
let precompiled: PrecompiledConfigValidator;
let compiled: ConfigValidate;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-config-validator-'));
  schemaText = await readFile(CONFIG_SCHEMA_FILE, 'utf8');
  precompiled = await precompiledModule(schemaText, join(dir, PRECOMPILED_CONFIG_VALIDATOR));
  compiled = new Ajv2020(CONFIG_AJV_OPTIONS).compile(JSON.parse(schemaText));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the precompiled config validator', () => {
  it('names the schema text it was made from', () => {
    expect(precompiled.schemaDigest).toBe(schemaDigest(schemaText));
  });

  it.each(Object.keys(CONFIGS))('answers %s as the one compiled at run time does', (name) => {
    const raw = CONFIGS[name];
    const verdict = compiled(raw);
    expect(precompiled.validate(raw)).toBe(verdict);
    expect(precompiled.validate.errors ?? null).toEqual(compiled.errors ?? null);
    if (!verdict) expect(describeErrors(precompiled.validate.errors ?? [])).toEqual(describeErrors(compiled.errors ?? []));
  });

  it('passes the good configs and fails the others', () => {
    expect(Object.keys(CONFIGS).filter((name) => precompiled.validate(CONFIGS[name]))).toEqual(['good', 'no targets (the sandbox)']);
  });

  it('is in dist/, made from the schema as it is unless contracts/ changed after the build', async () => {
    // Built by the tests' global setup (test/support/build-dist.ts) when a source changed since.
    const built = (await import(new URL(`../../dist/src/config/${PRECOMPILED_CONFIG_VALIDATOR}`, import.meta.url).href)) as PrecompiledConfigValidator;
    expect(built.schemaDigest).toMatch(/^[0-9a-f]{64}$/);
    const [at, edited] = await Promise.all([stat(join(ROOT, 'dist/.built')), stat(CONFIG_SCHEMA_FILE)]);
    if (at.mtimeMs > edited.mtimeMs) expect(built.schemaDigest).toBe(schemaDigest(schemaText));
  });
});

describe('configValidator', () => {
  it('uses the precompiled validator made from the same schema text', async () => {
    expect(await configValidator(CONFIG_SCHEMA_FILE, pathToFileURL(join(dir, PRECOMPILED_CONFIG_VALIDATOR)))).toBe(precompiled.validate);
  });

  it('compiles the schema itself when the precompiled one was made from another text (an edit before the next build)', async () => {
    const schema = JSON.parse(schemaText) as { required?: string[] };
    const edited = join(dir, 'config.schema.json');
    await writeFile(edited, JSON.stringify({ ...schema, required: [...(schema.required ?? []), 'contracts'] }));
    const validate = await configValidator(edited, pathToFileURL(join(dir, PRECOMPILED_CONFIG_VALIDATOR)));
    expect(validate).not.toBe(precompiled.validate);
    expect(validate(CONFIGS.good)).toBe(false);
    expect(describeErrors(validate.errors ?? [])).toEqual(['(top level): missing required field "contracts"']);
  });

  it('compiles the schema itself where there is no precompiled one (the sources)', async () => {
    const validate = await configValidator(CONFIG_SCHEMA_FILE, pathToFileURL(join(dir, 'none.js')));
    expect(validate).not.toBe(precompiled.validate);
    expect(validate(CONFIGS['a bad target name'])).toBe(false);
    expect(compiled(CONFIGS['a bad target name'])).toBe(false);
    expect(validate.errors).toEqual(compiled.errors);
  });
});
