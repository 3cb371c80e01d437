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
const ENV = { CANARY_SECRET: 'env-canary-secret', SYSADMIN_PASSWORD: 'env-sysadmin-password' };

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

  it('loads a TypeScript config exporting the same object', async () => {
    const file = await write('onramp.config.ts', `export default ${JSON.stringify({ targets: { dev: { api_url: 'http://api', idp_url: 'http://idp', realm: 'r', login_client: { client_id: 'c' }, admin_client: { client_id: 'a', client_secret: { env: 'CANARY_SECRET' } }, system_admin: { username: 'u', password: { env: 'SYSADMIN_PASSWORD' } } } } })};\n`);
    const cfg = await loadConfig(file, ENV);
    expect(cfg.targets.get('dev')!.apiUrl).toBe('http://api');
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
    ['an unreadable secret file', GOOD.replace('file: admin-secret', 'file: missing-file'), ENV, 'targets.staging.admin_client.client_secret: cannot read secret file missing-file (ENOENT)'],
    ['an unknown default target', GOOD.replace('target: staging', 'target: prod'), ENV, 'defaults.target: no target named "prod" (known: sandbox, staging)'],
    ['a target named sandbox', GOOD.replace('  staging:', '  sandbox:').replace('target: staging', 'target: sandbox'), ENV, 'targets: target name "sandbox" is not allowed (lower-case letters, digits, - and _; "sandbox" is built in)'],
    ['broken YAML', 'targets: [\n', ENV, 'line'],
  ])('names %s', async (_name, text, env, expected) => {
    const problems = await problemsOf(text, env as Record<string, string>);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });
});
