// Cancelling `onramp run` on a busy machine leaves nothing behind: a CPU hog per core runs beside
// the runs, each run is cancelled at a random point (SIGTERM or SIGINT, alternating), and after all
// of them no synthetic identity is left on the target: none in Keycloak (its admin API) and no
// synthetic tenant on the platform (its API), as `onramp sweep --dry-run` counts them. Every run
// reports no leftovers in results.json, and its cleanup never runs out of budget.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';

const RUNS = Number(process.env.ONRAMP_CANCEL_RUNS ?? 10);
const env = useExternalSandbox();
const hogs: ChildProcess[] = [];
beforeAll(() => {
  for (let i = 0; i < availableParallelism(); i++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
});
afterAll(() => {
  for (const h of hogs) h.kill('SIGKILL');
});

interface Outcome { i: number; signal: string; afterMs: number; code: number | null; exitMs: number; leftovers: unknown[]; interrupted: number; cleanups: string[]; failed?: string[] }

describe('onramp run cancelled under CPU load', () => {
  it(`${RUNS} runs cancelled at random points with SIGTERM or SIGINT leave 0 identities in the platform and in Keycloak`, async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) {
      const signal = i % 2 ? 'SIGINT' : 'SIGTERM';
      // Anywhere from the run's start (its first console line) to deep into the journeys
      // (identity-drift's wait for the worker): start-up alone takes seconds on a busy machine.
      const afterMs = Math.round(Math.random() * 6_000);
      const out = join(env.dir, `run-${i}`);
      let signalledAt = 0;
            let timer: NodeJS.Timeout | undefined;
      const { child, done } = spawnCli(['run', '--config', env.sandbox.config, '--target', 'local', '--reporter', 'console,json', '--output', out], env.sandbox.env, (_so, c) => {
        timer ??= setTimeout(() => {
          signalledAt = Date.now();
          c.kill(signal);
        }, afterMs);
      }, { timeoutMs: 240_000 });
      const { code, stderr, timedOut } = await done;
      clearTimeout(timer);
      expect(timedOut, stderr).toBe(false);
      const exitMs = signalledAt ? Date.now() - signalledAt : -1;
      // A signal before onramp has even loaded its modules ends the process the default way: no
      // journey, no report, nothing made on the target.
      if (code === null && child.signalCode === signal && !stderr) {
        outcomes.push({ i, signal, afterMs, code, exitMs, leftovers: [], interrupted: 0, cleanups: [] });
        continue;
      }
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr).not.toContain('cleanup could not remove');
      expect(existsSync(join(out, 'results.json')), stderr).toBe(true);
      const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
      const journeys = report.journeys as { id: string; status: string; steps: { name: string; status: string; always: boolean; code: string | null; message: string | null }[] }[];
      const cleanups = journeys.flatMap((j) => j.steps.filter((s) => s.always && !(s.status === 'passed' || (s.status === 'skipped' && s.message === 'its condition does not hold'))).map((s) => `${j.id} > ${s.name}: ${s.status} ${s.code ?? s.message}`));
      outcomes.push({ i, signal, afterMs, code, exitMs, leftovers: report.run.leftovers ?? [], interrupted: journeys.filter((j) => j.status === 'interrupted').length, cleanups, failed: journeys.filter((j) => j.status === 'failed' || j.status === 'error').map((j) => `${j.id}: ${j.steps.filter((s) => s.status === 'failed' || s.status === 'error').map((s) => `${s.name} ${s.code}`).join(', ')}`) });
      // A run that finished before its signal exits 0 or 1; a cancelled one with the signal's code.
      if (signalledAt) expect([130, 143], stderr).toContain(code);
      expect(report.run.leftovers, stderr).toBeUndefined();
      expect(cleanups, stderr).toEqual([]);
    }
    const sweep = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
    expect(sweep.code, sweep.stderr).toBe(0);
    const left = JSON.parse(sweep.stdout) as { keycloakUsers: string[]; platformUsers: string[]; tenants: string[] };
    console.log(`cancel under load (${hogs.length} CPU hogs): ${outcomes.map((o) => `#${o.i} ${o.signal}@${o.afterMs}ms -> exit ${o.code} in ${o.exitMs} ms (${o.interrupted} interrupted${o.exitMs < 0 && o.failed?.length ? `; finished first, failed: ${o.failed.join('; ')}` : ''})`).join('; ')}; left: ${left.keycloakUsers.length} Keycloak users, ${left.platformUsers.length} platform users, ${left.tenants.length} tenants`);
    expect(left).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
    // A run can finish before its signal (about 7 s here under load): most must have been cancelled.
    expect(outcomes.filter((o) => o.exitMs >= 0).length).toBeGreaterThanOrEqual(Math.ceil(RUNS * 0.8));
  }, 900_000);
});
