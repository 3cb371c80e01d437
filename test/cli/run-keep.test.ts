// `--keep`: a failed journey's cleanup is skipped with the reason, its synthetic identities stay
// for investigation, the run says how to remove them, and `onramp sweep` finds and removes them.
// The fault is switched on at runtime through the running sandbox's control endpoint.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/spawn-cli.ts';
import { startExternalSandbox, type ExternalSandbox } from '../support/external-sandbox.ts';

let dir: string;
let sandbox: ExternalSandbox;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-keep-'));
  sandbox = await startExternalSandbox(dir);
}, 60_000);
afterAll(async () => {
  sandbox?.cli.child.kill('SIGTERM');
  await sandbox?.cli.exit;
  await rm(dir, { recursive: true, force: true });
});

const faults = async (body: { on?: string[]; off?: string[] }) => {
  const res = await request(`${sandbox.ready.platform}/__sandbox/faults`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.ready.controlToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.statusCode).toBe(200);
  await res.body.dump();
};

it('keeps a failed journey\'s identities, says how to remove them, and sweep removes them', async () => {
  await faults({ on: ['session_partial'] });
  const out = join(dir, 'out');
  const run = await runCli(['run', '--config', sandbox.config, '--target', 'local', '--journey', 'personal-signup', '--keep', '--reporter', 'json', '--output', out], sandbox.env);
  await faults({ off: ['session_partial'] });
  expect(run.code, run.stderr).toBe(1);
  const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  const cleanups = report.journeys[0].steps.filter((s: { always: boolean }) => s.always);
  expect(cleanups.map((s: { status: string; message: string }) => `${s.status}: ${s.message.split(':')[0]}`)).toEqual(cleanups.map(() => 'skipped: kept for investigation (--keep)'));
  expect(run.stdout).toContain(`Kept the synthetic identities (onramp-syn-${report.run.id}-*) of personal-signup: remove them with: onramp sweep --target local --ttl 0s`);

  const preview = await runCli(['sweep', '--config', sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], sandbox.env);
  expect(preview.stdout).toContain(report.run.id);
  const swept = await runCli(['sweep', '--config', sandbox.config, '--target', 'local', '--ttl', '0s', '--json'], sandbox.env);
  expect(swept.code, swept.stderr).toBe(0);
  expect(swept.stdout).toContain(report.run.id);
  const after = await runCli(['sweep', '--config', sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], sandbox.env);
  expect(after.stdout).not.toContain(report.run.id);
}, 120_000);
