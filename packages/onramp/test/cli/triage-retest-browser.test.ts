// `onramp triage <id> --retest JOURNEY` runs the journey through the same wiring as `onramp run`,
// the browser executor included: against a running sandbox, the browser journey switch-user-login
// is red while the console's readonly_label fault is on, and green once it is off.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { runCli } from '../support/spawn-cli.ts';
import { localTargetYaml, useExternalSandbox } from '../support/external-sandbox.ts';
import type { Evidence } from '../../src/triage/evidence.ts';

const env = useExternalSandbox();

async function fault(on: boolean) {
  const { ready } = env.sandbox;
  const res = await request(`${ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify(on ? { on: ['readonly_label'] } : { off: ['readonly_label'] }) });
  expect(res.statusCode).toBe(200);
  await res.body.text();
}

describe('onramp triage --retest with a browser journey', () => {
  it('runs switch-user-login in Chromium: exit 1 naming readonly_label while the fault is on, exit 0 once it is off', async () => {
    const { ready } = env.sandbox;
    const config = join(env.dir, 'browser.yaml');
    await writeFile(config, localTargetYaml(ready, [`console_url: ${ready.console}`]));
    const triage = (out: string) => runCli(['triage', 'retest-probe-0001', '--config', config, '--target', 'local', '--output', join(env.dir, out), '--retest', 'switch-user-login'], env.sandbox.env, { timeoutMs: 120_000 });
    const bundle = async (out: string) => JSON.parse(await readFile(join(env.dir, out, 'evidence', 'retest-probe-0001', 'evidence.json'), 'utf8')) as Evidence;

    await fault(true);
    const red = await triage('red');
    expect(red.code, red.stderr).toBe(1);
    const redRetest = (await bundle('red')).retest!;
    expect(redRetest.status).toBe('failed');
    expect(redRetest.failures.map((f) => f.code)).toContain('readonly_label');

    await fault(false);
    const green = await triage('green');
    expect(green.code, green.stdout + green.stderr).toBe(0);
    expect((await bundle('green')).retest).toMatchObject({ journey: 'switch-user-login', status: 'passed', failures: [] });
  }, 240_000);
});
