// Cancelling `onramp run` (a CI cancel, Ctrl-C) mid-journey is a normal event: no new steps start,
// the cleanup of the journeys in flight runs, the reports are written with those journeys marked
// interrupted, and the exit code is the signal's. `onramp sweep --dry-run --ttl 0s` then finds
// nothing of that run. The target is a real `onramp sandbox` process, so the sweep can look. A
// cancel while the embedded sandbox still boots ends the same way, with no journey started.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';

interface ReportStep { name: string; status: string; always: boolean; code: string | null; message: string | null }

const env = useExternalSandbox();

describe('onramp run cancelled mid-journey', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: cleanup ran, reports written with interrupted journeys, exit %i, nothing left for sweep', async (signal, exit) => {
    const out = join(env.dir, signal);
    let sent = false;
    const { code, stdout, stderr } = await spawnCli(['run', '--config', env.sandbox.config, '--target', 'local', '--reporter', 'console,json,junit', '--output', out], env.sandbox.env, (so, child) => {
      // Mid-journey: a few steps have passed, none of the journeys has finished.
      if (!sent && (so.match(/^ {2}ok /gm) ?? []).length >= 3) {
        sent = true;
        child.kill(signal);
      }
    }).done;
    expect(sent).toBe(true);
    expect(code, `${stdout}\n${stderr}`).toBe(exit);
    expect(stderr).toContain(`${signal} received`);
    expect(stderr).not.toMatch(/\n\s+at /);

    const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(report.run).toMatchObject({ status: 'error', error: { code: 'interrupted' } });
    const journeys = report.journeys as { id: string; status: string; steps: ReportStep[] }[];
    expect(journeys.filter((j) => j.status === 'interrupted').length).toBeGreaterThan(0);
    // Every cleanup step of an interrupted journey ran and passed, or had nothing to clean.
    const cleanups = journeys.flatMap((j) => j.steps.filter((s) => s.always).map((s) => `${j.id} > ${s.name}: ${s.status === 'passed' || (s.status === 'skipped' && s.message === 'its condition does not hold') ? 'ok' : `${s.status} ${s.code ?? s.message}`}`));
    expect(cleanups.filter((c) => !c.endsWith(': ok'))).toEqual([]);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('[interrupted]');

    const sweep = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).not.toContain(report.run.id);
  }, 120_000);

  it('SIGTERM while the embedded sandbox boots: reports written with every journey interrupted, not started, exit 143', async () => {
    const out = join(env.dir, 'boot');
    const { child, done } = spawnCli(['run', '--reporter', 'console,json', '--output', out]);
    // sandbox.log opens as the boot begins, after the signal watch is in place; the boot takes longer.
    while (!existsSync(join(out, 'sandbox.log')) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const { code, stdout, stderr } = await done;
    expect(code, `${stdout}\n${stderr}`).toBe(143);
    expect(stderr).toContain('SIGTERM received');
    expect(stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(report.run).toMatchObject({ status: 'error', error: { code: 'interrupted' } });
    const journeys = report.journeys as { status: string; reason?: string }[];
    expect(journeys.length).toBeGreaterThan(1);
    expect(journeys.filter((j) => j.status !== 'interrupted')).toEqual([]);
  }, 60_000);
});
