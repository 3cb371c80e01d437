// What `--trace` costs now that every kept trace is redacted (read back, every entry redacted by
// field name and by value, binary resources dropped, written again): the switch-user-login journey
// N times with every browser step's trace kept and N times with none kept (the default for a
// passing run), alternating, each with its own warm browser, on one sandbox. Prints the medians
// side by side, the cost per browser step, and the traces' sizes.
//   npx tsx bench/trace.bench.ts [runs=5]
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSandbox } from '../../sandbox/src/start.ts';
import { sandboxHandle } from '../../sandbox/src/handle.ts';
import { sandboxTarget } from '../src/app/sandbox.ts';
import { runJourneys } from '../src/engine/runner.ts';
import { createHttpExecutor } from '../src/engine/executors/http.ts';
import { createIdpExecutor } from '../src/engine/executors/idp.ts';
import { createDbExecutor } from '../src/engine/executors/db.ts';
import { createBrowserExecutor } from '../src/engine/executors/browser.ts';
import { loadContracts } from '../src/contracts/index.ts';
import switchUserLogin from '../journeys/switch-user-login.journey.ts';

const N = Number(process.argv[2] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;

const sandbox = await startSandbox({ log: pino({ level: 'silent' }), workerIntervalMs: 500 });
const target = sandboxTarget(sandboxHandle(sandbox));
const outputDir = mkdtempSync(join(tmpdir(), 'onramp-trace-bench-'));
const api = [createHttpExecutor({ contracts: await loadContracts() }), createIdpExecutor(), createDbExecutor()];
const modes = { traced: createBrowserExecutor({ outputDir, traceAll: true }), untraced: createBrowserExecutor({ outputDir }) };
const times = { traced: { journey: [] as number[], browser: [] as number[] }, untraced: { journey: [] as number[], browser: [] as number[] } };
let browserSteps = 0;

async function once(mode: keyof typeof modes, measured: boolean) {
  const t0 = performance.now();
  const run = await runJourneys({ journeys: [switchUserLogin], target, executors: [...api, modes[mode]] });
  const elapsed = performance.now() - t0;
  const j = run.journeys[0]!;
  if (j.status !== 'passed') throw new Error(`${mode} run failed: ${JSON.stringify(j.attempts.at(-1)?.steps.find((s) => s.status !== 'passed' && s.status !== 'skipped'))}`);
  await modes[mode].idle();
  if (!measured) return;
  const steps = j.attempts[0]!.steps.filter((s) => s.kind === 'browser');
  browserSteps = steps.length;
  times[mode].journey.push(elapsed);
  times[mode].browser.push(steps.reduce((a, s) => a + s.durationMs, 0));
}

try {
  // One unmeasured run each: first-use costs (Chromium, the sandbox, module loading) are not compared.
  await once('traced', false);
  await once('untraced', false);
  for (let i = 0; i < N; i++) {
    await once('traced', true);
    await once('untraced', true);
  }
  const files = (await readdir(outputDir, { recursive: true })).filter((f) => f.endsWith('.trace.zip'));
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(outputDir, f))).size));
  const row = (name: string, xs: number[]) => `${name.padEnd(34)} median ${ms(median(xs)).padStart(8)}`;
  console.log(`switch-user-login, ${N} runs each, alternating, one sandbox, ${browserSteps} browser steps a run`);
  console.log(row('every trace kept: journey', times.traced.journey), ' |', row('no trace kept: journey', times.untraced.journey));
  console.log(row('every trace kept: browser steps', times.traced.browser), ' |', row('no trace kept: browser steps', times.untraced.browser));
  console.log(`--trace costs ${ms((median(times.traced.browser) - median(times.untraced.browser)) / browserSteps)} per browser step (trace written, redacted, written again)`);
  console.log(`${files.length} redacted traces: median ${Math.round(median(sizes) / 1024)} KiB, largest ${Math.round(Math.max(...sizes) / 1024)} KiB`);
} finally {
  for (const e of [...Object.values(modes), ...api]) await e.close?.();
  await sandbox.close();
  rmSync(outputDir, { recursive: true, force: true });
}
