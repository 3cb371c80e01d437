// Status page and artifact figures, side by side:
//  1. GET / with 50 journeys (10 failing with a screenshot and trace each) over a full memory
//     history (500 runs): page size, p50 and p99 (goal: p99 at most 50 ms);
//  2. keeping a failed run's artifacts (a 40 KB screenshot and a 35 KB trace, as a failed
//     switch-user-login leaves), with pruning at keep_failed_runs 20, per run: p50 and p99;
//  3. a restart's index of 50 journeys x 20 kept runs.
//   tsx bench/status-page.bench.ts     (npm run bench:status-page)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { RunResult } from '../src/engine/results.ts';
import { ArtifactStore, incomingDir } from '../src/monitor/artifact-store.ts';
import { MemoryHistory, type RunRecord } from '../src/monitor/history.ts';
import { MonitorMetrics } from '../src/monitor/metrics.ts';
import { startServer } from '../src/monitor/server.ts';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const dir = await mkdtemp(join(tmpdir(), 'onramp-status-bench-'));
let clock = Date.now() - 3_600_000;
const runId = () => `${(clock += 1000).toString(36)}bench0`;

/** A failed browser run whose step left files as the executor names them. */
async function failedRun(journey: string): Promise<RunResult> {
  const id = runId();
  const rel = (ext: string) => `artifacts/${journey}/${id}-a1-02-log-out.${ext}`;
  await mkdir(join(incomingDir(dir), 'artifacts', journey), { recursive: true });
  await writeFile(join(incomingDir(dir), rel('png')), Buffer.alloc(40_000, 1));
  await writeFile(join(incomingDir(dir), rel('trace.zip')), Buffer.alloc(35_000, 2));
  const step = { id: 'log-out', name: 'log out', kind: 'browser', status: 'failed' as const, durationMs: 900, code: 'sso_session_survived_logout' as const, correlationId: crypto.randomUUID(), expected: 'the login form', actual: 'the shell', checks: [], violations: [], http: [], always: false, artifacts: [{ kind: 'screenshot' as const, path: rel('png') }, { kind: 'trace' as const, path: rel('trace.zip') }] };
  const at = new Date(clock).toISOString();
  return { runId: id, target: 'bench', startedAt: at, finishedAt: at, durationMs: 4000, status: 'failed', journeys: [{ id: journey, title: journey, tags: [], status: 'failed', durationMs: 4000, attempts: [{ attempt: 1, status: 'failed', durationMs: 4000, steps: [step] }] }] };
}

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// 2. Keeping and pruning, per run.
const store = await ArtifactStore.open({ dir, keepFailedRuns: 20, maxBytes: 200 * 1024 * 1024 });
const history = new MemoryHistory(500);
const keep: number[] = [];
for (let i = 0; i < 50 * 22; i++) {
  const run = await failedRun(`journey-${i % 50}`);
  const s = performance.now();
  await store.keep(run);
  keep.push(performance.now() - s);
}
const keepLine = `keep + prune one failed run (75 KB): p50 ${pct(keep, 50).toFixed(2)} ms, p99 ${pct(keep, 99).toFixed(2)} ms over ${keep.length} runs; kept ${(store.bytes / 1024 / 1024).toFixed(1)} MiB (50 journeys x 20 runs)`;

// 3. A restart's index.
let s = performance.now();
const reopened = await ArtifactStore.open({ dir, keepFailedRuns: 20, maxBytes: 200 * 1024 * 1024 });
const indexLine = `index at start: ${(performance.now() - s).toFixed(0)} ms for 1,000 run folders (${(reopened.bytes / 1024 / 1024).toFixed(1)} MiB)`;

// 1. The page: 50 journeys, the last 10 runs of each in history, 10 journeys failing.
for (let r = 0; r < 10; r++) {
  for (let j = 0; j < 50; j++) {
    const failing = j < 10;
    const run = failing && r === 9 ? await failedRun(`journey-${j}`) : undefined;
    if (run) await store.keep(run);
    const at = new Date((clock += 1000)).toISOString();
    const step = run?.journeys[0]!.attempts[0]!.steps[0];
    const record: RunRecord = run
      ? { runId: run.runId, journey: `journey-${j}`, location: '', outcome: 'failed', startedAt: at, finishedAt: at, durationMs: 4000, steps: [{ name: step!.name, status: 'failed', durationMs: 900, code: step!.code, correlationId: step!.correlationId, artifacts: step!.artifacts, expected: 'the login form', actual: 'the shell' }] }
      : { runId: runId(), journey: `journey-${j}`, location: '', outcome: 'passed', startedAt: at, finishedAt: at, durationMs: 3000 + j, steps: [{ name: 'log out', status: 'passed', durationMs: 900 }] };
    await history.add(record);
  }
}
const server = await startServer({ metrics: new MonitorMetrics({ processMetrics: false }), store: history, journeys: Array.from({ length: 50 }, (_, j) => ({ id: `journey-${j}`, title: `journey ${j}`, schedule: '30s' })), isRunning: () => true, busy: () => [], refreshSeconds: 5, artifacts: store }, '127.0.0.1', 0);
const page: number[] = [];
let bytes = 0;
for (let i = 0; i < 300; i++) {
  s = performance.now();
  bytes = (await (await request(server.url)).body.text()).length;
  if (i >= 50) page.push(performance.now() - s);
}
await server.close();
console.log(`GET / (50 journeys, 10 failing with artifacts, 500 runs of history): ${(bytes / 1024).toFixed(0)} KiB; p50 ${pct(page, 50).toFixed(2)} ms, p99 ${pct(page, 99).toFixed(2)} ms over ${page.length} loads (goal p99 <= 50 ms)`);
console.log(keepLine);
console.log(indexLine);
await rm(dir, { recursive: true, force: true });
