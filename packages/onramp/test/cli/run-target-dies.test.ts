// A target that dies mid-run: the run stops starting steps, names the run-level cause, and still
// writes results.json and junit.xml. The target is a real `onramp sandbox` process, killed (SIGKILL)
// as soon as the first journey has finished.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.ts';
import { startExternalSandbox, type ExternalSandbox } from '../support/external-sandbox.ts';
import { fileURLToPath } from 'node:url';

let dir: string;
let sandbox: ExternalSandbox;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-dies-'));
});
afterAll(async () => {
  sandbox?.cli.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('writes results.json and junit.xml with a run-level target_unreachable when the target dies mid-run', async () => {
  sandbox = await startExternalSandbox(dir);
  const { ready, config } = sandbox;
  const out = join(dir, 'out');
  const { code, stdout, stderr } = await spawnCli(['run', '--config', config, '--target', 'local', '--concurrency', '1', '--reporter', 'console,json,junit', '--output', out], sandbox.env, (so) => {
    if (/=> passed/.test(so)) sandbox.cli.child.kill('SIGKILL');
  }).done;
  expect(code, `${stdout}\n${stderr}`).toBe(1);
  expect(stderr).not.toMatch(/\n\s+at /);

  const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  expect(report.run.status).toBe('error');
  expect(report.run.error).toMatchObject({ code: 'target_unreachable', message: expect.stringContaining(ready.platform) });
  expect(report.journeys[0].status).toBe('passed');
  // The journey that met the dead target reports where; the rest were never started.
  expect(report.journeys.slice(1).map((j: { status: string }) => j.status)).toContain('interrupted');
  expect(stdout).toContain('Run error [target_unreachable]');

  const junit = await readFile(join(out, 'junit.xml'), 'utf8');
  expect(junit).toContain('[target_unreachable]');
  const { stderr: lint } = await promisify(execFile)('xmllint', ['--noout', '--schema', fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url)), join(out, 'junit.xml')]);
  expect(lint).toContain('validates');
}, 120_000);
