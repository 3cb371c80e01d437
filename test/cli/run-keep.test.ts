// `--keep`: a failed journey's cleanup is skipped with the reason, its synthetic identities stay
// for investigation, the run says how to remove them, and `onramp sweep` finds and removes them.
// The fault is switched on at runtime through the running sandbox's control endpoint.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { expect, it } from 'vitest';
import { runCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';

const env = useExternalSandbox();

const faults = async (body: { on?: string[]; off?: string[] }) => {
  const res = await request(`${env.sandbox.ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${env.sandbox.ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.statusCode).toBe(200);
  await res.body.dump();
};

it('keeps a failed journey\'s identities, says how to remove them, and sweep removes them', async () => {
  await faults({ on: ['session_partial'] });
  const out = join(env.dir, 'out');
  const run = await runCli(['run', '--config', env.sandbox.config, '--target', 'local', '--journey', 'personal-signup', '--keep', '--reporter', 'json', '--output', out], env.sandbox.env);
  await faults({ off: ['session_partial'] });
  expect(run.code, run.stderr).toBe(1);
  const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  const cleanups = report.journeys[0].steps.filter((s: { always: boolean }) => s.always);
  expect(cleanups.map((s: { status: string; message: string }) => `${s.status}: ${s.message.split(':')[0]}`)).toEqual(cleanups.map(() => 'skipped: kept for investigation (--keep)'));
  expect(run.stdout).toContain(`Kept the synthetic identities (onramp-syn-${report.run.id}-*) of personal-signup: remove them with: onramp sweep --target local --ttl 0s`);

  const preview = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
  expect(preview.stdout).toContain(report.run.id);
  const swept = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--ttl', '0s', '--json'], env.sandbox.env);
  expect(swept.code, swept.stderr).toBe(0);
  expect(swept.stdout).toContain(report.run.id);
  const after = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
  expect(after.stdout).not.toContain(report.run.id);
}, 120_000);
