// The browser journey through the CLI: a failure leaves a screenshot (PNG, secrets masked) and a
// trace (Playwright's viewer opens it; no secret in any spelling) referenced from results.json and
// junit.xml; a missing browser fails the browser journey with how to get one while the API
// journeys pass; SIGTERM mid-journey ends the run with 143 and takes Chromium with it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/spawn-cli.ts';
import { traceViewerText } from '../support/trace-viewer.ts';
import { readZip } from '../../src/engine/browser/zip.ts';

interface ReportStep { name: string; kind: string; status: string; code: string | null; message: string | null; artifacts?: { kind: string; path: string }[]; browser?: unknown }
interface Report { journeys: { id: string; status: string; steps: ReportStep[] }[] }

const SYSADMIN_PASSWORD = 'Sandbox-Admin-2026!';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-browser-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const report = async (out: string) => JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Report;

describe('onramp run with browser journeys', () => {
  it('leaves a masked screenshot and a redacted trace the viewer opens when a browser step fails', async () => {
    const out = join(dir, 'fault');
    const { code, stdout, stderr } = await runCli(['run', '--journey', 'switch-user-login', '--fault', 'readonly_label', '--reporter', 'console,json,junit', '--output', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    const step = (await report(out)).journeys[0]!.steps.find((s) => s.status === 'failed')!;
    expect([step.name, step.code, step.message]).toEqual(['the notice uses guardrail wording', 'readonly_label', 'notice wording (Read-only mode) == guardrail wording, never "Read-only mode"']);
    expect(step.artifacts!.map((a) => a.kind)).toEqual(['screenshot', 'trace']);
    const [png, trace] = step.artifacts!.map((a) => a.path);
    expect(png).toMatch(/^artifacts\/switch-user-login\/.+\.png$/);
    expect((await readFile(join(out, png!))).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(`[[ATTACHMENT|${png}]]`);
    expect(junit).toContain(`[[ATTACHMENT|${trace}]]`);

    // The whole trace so far (network log and resources span the context), without the system
    // admin's password in any spelling, though it was typed and posted in an earlier step.
    const entries = readZip(await readFile(join(out, trace!)));
    const text = entries.map((e) => e.data.toString('latin1')).join('\n');
    expect(text).toContain('the notice uses guardrail wording');
    for (const spelling of [SYSADMIN_PASSWORD, encodeURIComponent(SYSADMIN_PASSWORD)]) expect(text).not.toContain(spelling);
    expect(text).toContain('[REDACTED]');
    const viewer = await traceViewerText(join(out, trace!));
    expect(viewer).toContain('the notice uses guardrail wording');
    expect(viewer).toContain('Screenshot');
  }, 180_000);

  it('fails the browser journey with how to get a browser when there is none, and passes the API journeys', async () => {
    const out = join(dir, 'no-browser');
    const { code, stdout, stderr } = await runCli(['run', '--browser', '/nonexistent/chromium', '--reporter', 'console,json', '--output', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    const journeys = (await report(out)).journeys;
    expect(journeys.map((j) => [j.id, j.status])).toEqual([
      ['enrollment-tokens', 'passed'],
      ['identity-drift', 'passed'],
      ['idp-config-health', 'passed'],
      ['operator-bootstrap', 'failed'],
      ['personal-signup', 'passed'],
      ['project-scope', 'passed'],
      ['switch-user-login', 'failed'],
      ['tenant-admin-bootstrap', 'passed'],
    ]);
    for (const id of ['operator-bootstrap', 'switch-user-login']) {
      const failed = journeys.find((j) => j.id === id)!.steps.find((s) => s.status === 'failed')!;
      expect(failed.code, id).toBe('browser_unavailable');
    }
    const failed = journeys.find((j) => j.id === 'switch-user-login')!.steps.find((s) => s.status === 'failed')!;
    expect(failed.message).toContain('no browser at the configured path /nonexistent/chromium');
    expect(failed.message).toContain('apt-get install -y chromium');
    expect(failed.message).toContain('npx playwright install chromium');
    expect(stdout).toContain('browser_unavailable');
  }, 240_000);

  it('ends with 143 on SIGTERM mid-journey, after cleanup, and leaves no Chromium running', async () => {
    const out = join(dir, 'sigterm');
    let browserPids: number[] = [];
    let sent = false;
    const { done } = spawnCli(['run', '--journey', 'switch-user-login', '--reporter', 'console,json', '--output', out], {}, (stdout, child) => {
      if (sent || !stdout.includes('system admin signs in through the console')) return;
      sent = true;
      browserPids = descendants(child.pid!);
      child.kill('SIGTERM');
    });
    const { code, stdout } = await done;
    expect(code, stdout).toBe(143);
    expect(browserPids.length, 'Chromium processes under the CLI when signalled').toBeGreaterThan(0);
    await expect.poll(() => browserPids.filter(alive), { timeout: 10_000 }).toEqual([]);
    const j = (await report(out)).journeys[0]!;
    expect(j.status).toBe('interrupted');
    expect(j.steps.filter((s) => s.name.startsWith('remove the')).map((s) => s.status).every((s) => s === 'passed' || s === 'skipped')).toBe(true);
  }, 120_000);
});

function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/));
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp, comm] of rows) if (Number(pp) === p) {
      if (/chrom/i.test(comm ?? '')) out.push(Number(c));
      walk(Number(c));
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
