// Warm browser against a browser per run, in one run: the switch-user-login journey N times with
// the executor's warm Chromium (a fresh context per run) and N times launching Chromium for every
// run, as per-check runners do, alternating, on one sandbox. Prints the ratio of the journeys'
// times and of their browser steps' times (goal: warm <= 0.6 of fresh), and the per-run context
// setup time with the warm browser (new context, tracing, first page; goal: <= 100 ms): what a run
// waits for (the executor prepares the next context while idle) and what creating one costs. Runs
// with the binary onramp picks and with the full system Chromium, and prints both side by side.
//   npx tsx bench/browser.bench.ts [runs=10]
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSandbox } from '../../sandbox/src/start.ts';
import { sandboxTarget } from '../src/app/sandbox.ts';
import { sandboxHandle } from '../../sandbox/src/handle.ts';
import { runJourneys } from '../src/engine/runner.ts';
import { createHttpExecutor } from '../src/engine/executors/http.ts';
import { createIdpExecutor } from '../src/engine/executors/idp.ts';
import { createDbExecutor } from '../src/engine/executors/db.ts';
import { createBrowserExecutor } from '../src/engine/executors/browser.ts';
import { loadContracts } from '../src/contracts/index.ts';
import { findBrowser, SYSTEM_CHROMIUM } from '../src/engine/browser/find-browser.ts';
import switchUserLogin from '../journeys/switch-user-login.journey.ts';

const N = Number(process.argv[2] ?? 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number) => `${Math.round(x)} ms`;

// The binary onramp picks (the headless shell where installed), and the full browser beside it:
// launching the full one costs far more, which is what a warm browser saves.
const picked = await findBrowser();
if ('problem' in picked) throw new Error(picked.problem);
const pickedPath = picked.path;
const binaries = [...new Set([pickedPath, ...SYSTEM_CHROMIUM.filter((p) => existsSync(p)).slice(0, 1)])];

const sandbox = await startSandbox({ log: pino({ level: 'silent' }), workerIntervalMs: 500 });
const target = sandboxTarget(sandboxHandle(sandbox));
const outputDir = mkdtempSync(join(tmpdir(), 'onramp-browser-bench-'));
const api = [createHttpExecutor({ contracts: await loadContracts() }), createIdpExecutor(), createDbExecutor()];
const summary: string[] = [];

async function benchBinary(executablePath: string) {
  const modes = {
    warm: createBrowserExecutor({ outputDir, executablePath }),
    fresh: createBrowserExecutor({ outputDir, executablePath, launch: 'per-attempt' }),
  };
  const times = { warm: { journey: [] as number[], browser: [] as number[] }, fresh: { journey: [] as number[], browser: [] as number[] } };
  async function once(mode: keyof typeof modes) {
    const t0 = performance.now();
    const run = await runJourneys({ journeys: [switchUserLogin], target, executors: [...api, modes[mode]] });
    const elapsed = performance.now() - t0;
    const j = run.journeys[0]!;
    if (j.status !== 'passed') throw new Error(`${mode} run failed: ${JSON.stringify(j.attempts.at(-1)?.steps.find((s) => s.status !== 'passed' && s.status !== 'skipped'))}`);
    times[mode].journey.push(elapsed);
    // The warm executor prepares the next context after a run; the fresh runs must not pay for it.
    await modes.warm.idle();
    times[mode].browser.push(j.attempts[0]!.steps.filter((s) => s.kind === 'browser').reduce((a, s) => a + s.durationMs, 0));
  }
  try {
    // One unmeasured run each: the sandbox's and Chromium's first-use costs are not what is compared.
    await once('warm');
    await once('fresh');
    for (const m of Object.values(times)) {
      m.journey.length = 0;
      m.browser.length = 0;
    }
    modes.warm.setupMs.length = 0;
    modes.warm.createMs.length = 0;
    for (let i = 0; i < N; i++) {
      await once('warm');
      await once('fresh');
    }
  } finally {
    for (const e of Object.values(modes)) await e.close();
  }
  const row = (name: string, xs: number[]) => `${name.padEnd(38)} median ${ms(median(xs)).padStart(8)}  mean ${ms(mean(xs)).padStart(8)}`;
  console.log(`\n${executablePath}${executablePath === pickedPath ? ' (what onramp picks)' : ''}: switch-user-login, ${N} runs each, alternating, one sandbox`);
  console.log(row('warm browser: journey', times.warm.journey));
  console.log(row('fresh browser per run: journey', times.fresh.journey));
  console.log(row('warm browser: browser steps', times.warm.browser));
  console.log(row('fresh browser per run: browser steps', times.fresh.browser));
  console.log(row('warm: context setup a run waits for', modes.warm.setupMs));
  console.log(row('warm: context creation (off the run)', modes.warm.createMs));
  const ratio = mean(times.warm.journey) / mean(times.fresh.journey);
  console.log(`ratio warm / fresh, journey:       ${ratio.toFixed(2)} (goal <= 0.6)`);
  console.log(`ratio warm / fresh, browser steps: ${(mean(times.warm.browser) / mean(times.fresh.browser)).toFixed(2)}`);
  console.log(`context setup per run (warm): median ${ms(median(modes.warm.setupMs))}, max ${ms(Math.max(...modes.warm.setupMs))} (goal <= 100 ms); launches: warm ${modes.warm.warm.launches}, fresh ${modes.fresh.warm.launches}`);
  summary.push(`${executablePath.padEnd(36)} warm ${ms(mean(times.warm.journey)).padStart(8)}  fresh ${ms(mean(times.fresh.journey)).padStart(8)}  ratio ${ratio.toFixed(2)}  launch saved ${ms(mean(times.fresh.journey) - mean(times.warm.journey))}`);
}

try {
  for (const b of binaries) await benchBinary(b);
  console.log(`\nside by side (journey means):\n${summary.join('\n')}`);
} finally {
  for (const e of api) await e.close?.();
  await sandbox.close();
}
