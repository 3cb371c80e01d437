// A target that dies mid-run: the run stops starting steps, names the run-level cause, and still
// writes results.json and junit.xml. The target is a real `onramp sandbox` process, killed (SIGKILL)
// as soon as the first journey has finished.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ONRAMP_BIN, startCli, type RunningCli } from '../support/spawn-cli.ts';

let dir: string;
let sandbox: RunningCli;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-dies-'));
});
afterAll(async () => {
  sandbox?.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('writes results.json and junit.xml with a run-level target_unreachable when the target dies mid-run', async () => {
  sandbox = startCli(['sandbox', '--json']);
  const ready = (await sandbox.firstLine) as { platform: string; idp: string; realm: string; adminClient: { clientId: string; clientSecret: string }; canaryClient: { clientId: string; clientSecret: string }; systemAdmin: { username: string; password: string } };
  const config = join(dir, 'onramp.config.yaml');
  await writeFile(
    config,
    [
      'targets:',
      '  local:',
      `    api_url: ${ready.platform}`,
      `    idp_url: ${ready.idp}`,
      `    realm: ${ready.realm}`,
      `    login_client: { client_id: ${ready.canaryClient.clientId}, client_secret: { env: T_CANARY } }`,
      `    admin_client: { client_id: ${ready.adminClient.clientId}, client_secret: { env: T_ADMIN } }`,
      `    system_admin: { username: ${ready.systemAdmin.username}, password: { env: T_SYSADMIN } }`,
    ].join('\n'),
  );
  const out = join(dir, 'out');
  const env = { ...process.env, T_CANARY: ready.canaryClient.clientSecret, T_ADMIN: ready.adminClient.clientSecret, T_SYSADMIN: ready.systemAdmin.password };
  const run = spawn(process.execPath, [ONRAMP_BIN, 'run', '--config', config, '--target', 'local', '--concurrency', '1', '--reporter', 'console,json,junit', '--output', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  run.stderr.on('data', (d) => (stderr += d));
  run.stdout.on('data', (d) => {
    stdout += d;
    if (/=> passed/.test(stdout)) sandbox.child.kill('SIGKILL');
  });
  const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
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
  const { stderr: lint } = await promisify(execFile)('xmllint', ['--noout', '--schema', 'test/fixtures/junit.xsd', join(out, 'junit.xml')]);
  expect(lint).toContain('validates');
}, 120_000);
