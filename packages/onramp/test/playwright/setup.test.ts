// `npx playwright test` picks its target as `onramp run` does (src/app/wiring.ts), the environment
// standing in for the command line: ONRAMP_TARGET for --target, ONRAMP_FAULTS for --fault,
// ONRAMP_CONFIG for --config. A problem stops the run before any test, with its message and no stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxMissingError } from '../../src/app/sandbox.ts';
import { asEnvironment } from '../../src/integrations/playwright.ts';
import { playwright } from './run-playwright.ts';

const dir = mkdtempSync(join(tmpdir(), 'onramp-pw-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TARGET = '  dev: { api_url: http://a, idp_url: http://i, realm: r, login_client: { client_id: c }, admin_client: { client_id: a, client_secret: { env: ADMIN } }, system_admin: { username: u, password: { env: PW } } }\n';
const config = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

const cases: { name: string; env: Record<string, string>; says: string }[] = [
  { name: 'an unknown ONRAMP_TARGET', env: { ONRAMP_TARGET: 'nope' }, says: 'ONRAMP_TARGET: no target named "nope" (known: sandbox; no config file found)' },
  {
    name: 'a config naming targets but no default, and no ONRAMP_TARGET',
    env: { ONRAMP_CONFIG: config('two.yaml', `targets:\n${TARGET}${TARGET.replace('dev', 'prod')}`), ADMIN: 'x', PW: 'x' },
    says: 'ONRAMP_TARGET: the config names targets "dev", "prod" but no defaults.target: pass ONRAMP_TARGET=NAME (or ONRAMP_TARGET=sandbox for the embedded sandbox)',
  },
  { name: 'faults for a configured target', env: { ONRAMP_CONFIG: config('one.yaml', `targets:\n${TARGET}`), ADMIN: 'x', PW: 'x', ONRAMP_TARGET: 'dev', ONRAMP_FAULTS: 'readonly_label' }, says: 'ONRAMP_FAULTS: faults exist only in the embedded sandbox, not in target "dev"' },
  { name: 'an unknown fault', env: { ONRAMP_FAULTS: 'readonly_label, no_such_fault' }, says: 'ONRAMP_FAULTS: unknown fault "no_such_fault" (known: ' },
];

describe('npx playwright test: target, faults and config from the environment', () => {
  it.each(cases)('$name: no test runs, the problem is said without a stack', async (c) => {
    const run = await playwright(['--reporter', 'line', '--output', join(dir, 'results')], c.env);
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.code, out).not.toBe(0);
    expect(out).toContain(`OnrampSetupError: ${c.says}`);
    expect(out).not.toMatch(/^\s+at .*(src|node_modules)\//m);
    expect(out).not.toMatch(/\d+ (passed|failed)/);
  }, 60_000);

  it('a missing sandbox package is said in the environment\'s words', () => {
    expect(asEnvironment(new SandboxMissingError('no target is configured').message)).toBe(
      'no target is configured, and the embedded sandbox (@onramp/sandbox) is not installed.\n' +
        '  - to run against your platform: name a target in onramp.config.yaml and pass ONRAMP_TARGET=NAME (or set defaults.target)\n' +
        '  - to run on the embedded sandbox: npm i -D @onramp/sandbox',
    );
  });
});
