// The config file: YAML or TypeScript, every problem named by path at once, secrets only by
// reference (env or file) and never echoed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-config-'));
  await writeFile(join(dir, 'admin-secret'), 'file-admin-secret\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const GOOD = `
targets:
  staging:
    api_url: https://api.staging.example.test
    idp_url: https://sso.staging.example.test/
    realm: platform
    login_client: { client_id: onramp-canary, client_secret: { env: CANARY_SECRET } }
    admin_client: { client_id: platform-admin, client_secret: { file: admin-secret } }
    system_admin: { username: onramp-admin, password: { env: SYSADMIN_PASSWORD } }
    production: true
journeys: { dir: ./journeys, tags: [api] }
defaults: { target: staging, retries: 1, reporters: [console, junit], output: out }
`;
const TS_TARGET = { api_url: 'http://api', idp_url: 'http://idp', realm: 'r', login_client: { client_id: 'c' }, admin_client: { client_id: 'a', client_secret: { env: 'CANARY_SECRET' } }, system_admin: { username: 'u', password: { env: 'SYSADMIN_PASSWORD' } } };
const ENV = { CANARY_SECRET: 'env-canary-secret', SYSADMIN_PASSWORD: 'env-sysadmin-password' };

// "Billion laughs": nine levels of nine aliases would expand to 9^9 strings.
const BOMB = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat([...'bcdefghi'].map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
  .concat('targets: *i')
  .join('\n');

async function write(name: string, text: string) {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string, env: Record<string, string> = ENV): Promise<string[]> {
  try {
    await loadConfig(await write(`c-${Math.random()}.yaml`, text), env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('config', () => {
  it('loads a YAML config with secrets from env and file, typed as secrets', async () => {
    const cfg = await loadConfig(await write('good.yaml', GOOD), ENV);
    const t = cfg.targets.get('staging')!;
    expect(t).toMatchObject({ apiUrl: 'https://api.staging.example.test', idpUrl: 'https://sso.staging.example.test', realm: 'platform', production: true });
    expect(t.adminClient.clientSecret.reveal()).toBe('file-admin-secret');
    expect(t.systemAdmin.password.reveal()).toBe('env-sysadmin-password');
    const printed = `${JSON.stringify(t)} ${inspect(t)} ${String(t.loginClient.clientSecret)}`;
    for (const v of Object.values(ENV).concat('file-admin-secret')) expect(printed).not.toContain(v);
    expect(cfg.defaults).toMatchObject({ target: 'staging', retries: 1, reporters: ['console', 'junit'] });
    expect(cfg.journeys.dir).toBe(join(dir, 'journeys'));
  });

  it.each([
    ['a CommonJS folder (no "type": "module")', 'cjs'],
    ['a "type": "module" folder', 'esm'],
  ])('loads a TypeScript config in %s', async (_name, kind) => {
    const sub = await mkdtemp(join(dir, `ts-${kind}-`));
    if (kind === 'esm') await writeFile(join(sub, 'package.json'), '{"type":"module"}');
    await writeFile(join(sub, 'targets.ts'), `export const targets = ${JSON.stringify({ dev: TS_TARGET })};\n`);
    const file = join(sub, 'onramp.config.ts');
    await writeFile(file, `import { targets } from './targets.ts';\nconst config: Record<string, unknown> = { targets };\nexport default config;\n`);
    expect((await loadConfig(file, ENV)).targets.get('dev')!.apiUrl).toBe('http://api');
  });

  it.each([
    ['a throw', `throw new Error('no config for you');\nexport default {};\n`, 'cannot load: no config for you'],
    ['a bad import', `import x from './missing-module.ts';\nexport default x;\n`, "cannot load: Cannot find module './missing-module.ts'"],
    ['a syntax error', 'export default { targets: ;\n', 'cannot load: '],
    ['no export', 'export const unrelated = 1;\n', 'exports no config'],
  ])('reports %s in a TypeScript config as a config error naming the file', async (_name, text, expected) => {
    const file = await write(`bad-${Math.random()}.ts`, text);
    const err = await loadConfig(file, ENV).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(file);
    expect((err as ConfigError).problems).toEqual([expect.stringContaining(expected)]);
    expect((err as ConfigError).message).not.toContain('cycle');
  });

  it('names a syntax error in a TypeScript config by line and column', async () => {
    const file = await write('syntax.ts', 'export default { targets: ;\n');
    const err = (await loadConfig(file, ENV).catch((e: unknown) => e)) as ConfigError;
    expect(err.problems[0]).toMatch(/syntax\.ts:1:\d+: ERROR: Unexpected ";"/);
  });

  it('says each schema problem once, in its own words', async () => {
    const problems = await problemsOf(`
targets:
  Bad_Name:
    api_url: http://a
    idp_url: http://i
    realm: r
    login_client: { client_id: c }
    admin_client: { client_id: a, client_secret: { env: A } }
    system_admin: { username: u, password: { env: 1bad } }
`);
    expect(problems).toEqual([
      'targets: target name "Bad_Name" is not allowed (lower-case letters, digits, - and _; "sandbox" is built in)',
      'targets.Bad_Name.system_admin.password.env: must be an environment variable name (letters, digits and _, not starting with a digit)',
    ]);
  });

  it('reports every invalid field by path, all at once', async () => {
    const problems = await problemsOf(`
targets:
  staging:
    api_url: ftp://nope
    realm: 7
    login_client: { client_id: onramp-canary, clientsecret: x }
    admin_client: { client_id: platform-admin, client_secret: "inline-secret-value" }
    system_admin: { username: onramp-admin, password: { env: NOT_SET_ANYWHERE } }
defaults: { target: nowhere, retries: -1, reporters: [console, tap] }
extra: true
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'targets.staging.api_url: must be an http(s) URL',
        'targets.staging: missing required field "idp_url"',
        'targets.staging.realm: must be string',
        'targets.staging.login_client.clientsecret: unknown field',
        'targets.staging.admin_client.client_secret: must be a reference, {env: NAME} or {file: PATH}, never an inline value',
        'defaults.retries: must be >= 0',
        'defaults.reporters.1: must be one of console, json, junit, html',
        'extra: unknown field',
      ]),
    );
    expect(problems.join('\n')).not.toContain('inline-secret-value');
  });

  it.each([
    ['an unset env secret', GOOD, {}, 'targets.staging.login_client.client_secret: environment variable CANARY_SECRET is not set'],
    ['an empty env secret', GOOD, { ...ENV, CANARY_SECRET: '' }, 'targets.staging.login_client.client_secret: environment variable CANARY_SECRET is empty'],
    ['an invalid env variable name', GOOD.replace('env: CANARY_SECRET', 'env: 1CANARY'), ENV, 'targets.staging.login_client.client_secret.env: must be an environment variable name'],
    ['a YAML alias bomb', BOMB, ENV, 'too many YAML aliases'],
    ['an empty file', '', ENV, '(top level): must be a mapping (targets:, journeys:'],
    ['no targets', 'targets: {}\n', ENV, 'targets: name at least one target'],
    ['an unreadable secret file', GOOD.replace('file: admin-secret', 'file: missing-file'), ENV, 'targets.staging.admin_client.client_secret: cannot read secret file missing-file (ENOENT)'],
    ['an unknown default target', GOOD.replace('target: staging', 'target: prod'), ENV, 'defaults.target: no target named "prod" (known: sandbox, staging)'],
    ['a target named sandbox', GOOD.replace('  staging:', '  sandbox:').replace('target: staging', 'target: sandbox'), ENV, 'targets: target name "sandbox" is not allowed (lower-case letters, digits, - and _; "sandbox" is built in)'],
    ['broken YAML, with its line', 'targets:\n  dev:\n    api_url: [\n', ENV, 'line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ] near "api_url: ["'],
  ])('names %s', async (_name, text, env, expected) => {
    const problems = await problemsOf(text, env as Record<string, string>);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });
});

describe('config: only the selected target\'s secrets', () => {
  const target = (name: string, envPrefix: string, extra = '') => `  ${name}:
    api_url: http://${name}.example.test
    idp_url: http://idp.${name}.example.test
    realm: r
    login_client: { client_id: c }
    admin_client: { client_id: a, client_secret: { env: ${envPrefix}_ADMIN } }
    system_admin: { username: u, password: { env: ${envPrefix}_PW } }
${extra}`;
  const TWO = `targets:\n${target('a', 'A')}${target('b', 'B')}`;
  const A_ENV = { A_ADMIN: 'a-admin-secret', A_PW: 'a-password' };
  const load = async (text: string, env: Record<string, string>, select?: { target?: string }) => loadConfig(await write(`sel-${Math.random()}.yaml`, text), env, { ...(select ? { select } : {}) });
  const problems = (p: Promise<unknown>) => p.then(() => [], (e: unknown) => (e instanceof ConfigError ? e.problems : Promise.reject(e)));

  it.each([
    ['--target a', { target: 'a' }, TWO],
    ['defaults.target a', {}, `${TWO}defaults: { target: a }\n`],
  ])('%s resolves a alone: b\'s unset variables are no problem, b is still a known target', async (_name, select, text) => {
    const cfg = await load(text, A_ENV, select);
    expect([...cfg.targets.keys()]).toEqual(['a']);
    expect(cfg.targetNames).toEqual(['a', 'b']);
    expect(cfg.targets.get('a')!.systemAdmin.password.reveal()).toBe('a-password');
  });

  it.each([
    ['the selected target\'s unset variable', TWO, {}, ['targets.a.admin_client.client_secret: environment variable A_ADMIN is not set', 'targets.a.system_admin.password: environment variable A_PW is not set']],
    ['another target\'s bad shape, with every problem in one block', `targets:\n${target('a', 'A', '    nonsense: 1\n')}${target('b', 'B', '    api_url2: x\n')}`, A_ENV, ['targets.a.nonsense: unknown field', 'targets.b.api_url2: unknown field']],
  ])('still reports %s', async (_name, text, env, expected) => {
    expect(await problems(load(text, env, { target: 'a' }))).toEqual(expected);
  });

  it.each([
    ['without a selection (the library default)', undefined],
    ['when neither --target nor defaults.target names one (the command asks which)', {}],
  ])('resolves every target %s, and none for --target sandbox', async (_name, select) => {
    expect(await problems(load(TWO, A_ENV, select))).toEqual(['targets.b.admin_client.client_secret: environment variable B_ADMIN is not set', 'targets.b.system_admin.password: environment variable B_PW is not set']);
    expect([...(await load(TWO, {}, { target: 'sandbox' })).targets.keys()]).toEqual([]);
  });
});
