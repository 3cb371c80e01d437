// `--keep`: a failed journey's cleanup is skipped with the reason, its synthetic identities stay
// for investigation, the run says how to remove them, and `onramp sweep` finds and removes them.
// The fault is switched for the run through the running sandbox's control endpoint (`--fault` on a
// config target with sandbox.control_token).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { expect, it } from 'vitest';
import { runCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';

const env = useExternalSandbox();

const activeFaults = async (): Promise<string[]> => {
  const res = await request(`${env.sandbox.ready.platform}/__sandbox/faults`, { headers: { authorization: `Bearer ${env.sandbox.ready.controlToken}` } });
  return ((await res.body.json()) as { active: string[] }).active;
};

it('keeps a failed journey\'s identities, says how to remove them, and sweep removes them', async () => {
  const out = join(env.dir, 'out');
  const run = await runCli(['run', '--config', env.sandbox.config, '--target', 'local', '--fault', 'session_partial', '--journey', 'personal-signup', '--keep', '--reporter', 'json', '--output', out], env.sandbox.env);
  expect(run.code, run.stderr).toBe(1);
  const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  // The fault was on for the run (switched through the running sandbox's control endpoint), and is off again.
  expect(report.run.faults).toEqual(['session_partial']);
  expect(report.journeys[0].steps.find((s: { status: string }) => s.status === 'failed').code).toBe('session_partial');
  expect(await activeFaults()).toEqual([]);
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
