// `onramp run --target NAME` against a config of two targets, through the real CLI and a running
// sandbox as the configured target: only the selected target's secrets are resolved (the other's
// unset variables stop nothing and invent no follow-on error), and a db check the target cannot run
// (no database_url) is a counted skip, or with --require db a check_unavailable failure.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from '../support/spawn-cli.ts';
import { localTargetEnv, localTargetYaml, useExternalSandbox } from '../support/external-sandbox.ts';

const env = useExternalSandbox();

// `other` is a second target whose secrets nobody set here: a staging the CI job does not run against.
const OTHER = `  other:
    api_url: https://api.other.example.test
    idp_url: https://sso.other.example.test
    realm: platform
    login_client: { client_id: canary }
    admin_client: { client_id: admin, client_secret: { env: ONRAMP_TEST_OTHER_ADMIN } }
    system_admin: { username: sysadmin, password: { env: ONRAMP_TEST_OTHER_PASSWORD } }
`;

let config: string;
beforeAll(async () => {
  config = join(env.dir, 'two-targets.yaml');
  await writeFile(config, localTargetYaml(env.sandbox.ready) + OTHER);
});

const run = (name: string, extra: string[], vars: Record<string, string>) =>
  runCli(['run', '--config', config, '--target', 'local', '--journey', 'personal-signup', '--reporter', 'console,json', '--output', join(env.dir, name), ...extra], vars, { timeoutMs: 90_000 });
const stepsOf = async (name: string) => (JSON.parse(await readFile(join(env.dir, name, 'results.json'), 'utf8')).journeys[0].steps as { id: string; status: string; code: string | null; skip_reason?: string }[]);

describe('onramp run --target local beside a target whose secrets are not set', () => {
  it('passes: the other target\'s secrets are not resolved; its db check is skipped and counted in the summary', async () => {
    const r = await run('plain', [], localTargetEnv(env.sandbox.ready));
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/\d+ steps: \d+ passed, 0 failed, 0 error, 1 skipped; 1 check skipped as unavailable \(db: 1\)/);
    expect((await stepsOf('plain')).find((s) => s.id === 'bootstrap-rows')).toMatchObject({ status: 'skipped', skip_reason: 'unavailable' });
  }, 120_000);

  it('--require db: exit 1, the db check fails as check_unavailable saying to set database_url', async () => {
    const r = await run('required', ['--require', 'db'], localTargetEnv(env.sandbox.ready));
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stdout).toContain('code:           check_unavailable');
    expect(r.stdout).toContain('set database_url on the target');
    expect((await stepsOf('required')).find((s) => s.id === 'bootstrap-rows')).toMatchObject({ status: 'failed', code: 'check_unavailable' });
  }, 120_000);

  it('names only the selected target\'s unset secrets (exit 2), and no untrue "no target named" after them', async () => {
    const r = await run('unset', [], {});
    expectUsageError(r, 'targets.local.admin_client.client_secret: environment variable T_ADMIN is not set');
    expect(r.stderr).not.toContain('ONRAMP_TEST_OTHER');
    expect(r.stderr).not.toContain('no target named');
  }, 60_000);

  it.each([
    [['--require', 'db,tape'], '--require: unknown kind of check "tape" (known: db, browser)'],
    [['--require', ','], '--require: names no kind of check (known: db, browser)'],
  ])('%j: exit 2 naming the option', async (extra, says) => {
    expectUsageError(await run('bad', extra, localTargetEnv(env.sandbox.ready)), says);
  }, 60_000);
});
