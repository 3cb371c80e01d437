// Journey engine overhead and `onramp run` cold start, in one run:
//  1. personal-signup through the engine (contracts, checks, request ids, redaction) against a
//     plain undici script making the same seven requests, both N times on one sandbox, as a ratio
//     (goal: engine / plain <= 1.05);
//  2. `onramp run --target sandbox` from a cold process (the compiled CLI, built first), journeys one at a time and at the default
//     concurrency, and the API journeys alone: wall time (goal for the API journeys: <= 2.5 s) and
//     the suite's run time against its slowest journey (from results.json; goal: <= 1.3x).
//   npx tsx bench/journeys.bench.ts [iterations=40] [cold-runs=3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { startSandbox } from '../../sandbox/src/start.ts';
import { sandboxTarget } from '../src/app/sandbox.ts';
import { sandboxHandle } from '../../sandbox/src/handle.ts';
import { runJourneys } from '../src/engine/runner.ts';
import { createHttpExecutor } from '../src/engine/executors/http.ts';
import { createIdpExecutor } from '../src/engine/executors/idp.ts';
import { createDbExecutor } from '../src/engine/executors/db.ts';
import { loadContracts } from '../src/contracts/index.ts';
import { passwordGrantForm, tokenEndpoint } from '../src/engine/password-grant.ts';
import personalSignup from '../journeys/personal-signup.journey.ts';

const N = Number(process.argv[2] ?? 40);
const COLD = Number(process.argv[3] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sandbox = await startSandbox({ log: pino({ level: 'silent' }) });
const target = sandboxTarget(sandboxHandle(sandbox));
const executors = [createHttpExecutor({ contracts: await loadContracts() }), createIdpExecutor(), createDbExecutor()];
const dispatcher = new Agent({ connections: 16 });

async function json(url: string, init: { method?: string; token?: string; body?: unknown; form?: URLSearchParams; headers?: Record<string, string> } = {}) {
  const res = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    dispatcher,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...init.headers,
    },
    body: init.body ? JSON.stringify(init.body) : init.form?.toString(),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

const tokenUrl = tokenEndpoint(target);
const loginForm = (username: string, password: string) => passwordGrantForm(target, username, password);

/** The journey's requests, nothing else: no contracts, no checks, no ids. */
async function plainSignup(i: number) {
  const email = `onramp-syn-bench-${Date.now().toString(36)}-${i}@synthetic.onramp.test`;
  const password = 'SyBenchPassw0rd7!q';
  const s = await json(`${target.apiUrl}/api/v1/auth/personal/signup`, { method: 'POST', body: { email, password, display_name: 'bench' } });
  const token = (await json(tokenUrl, { method: 'POST', form: loginForm(email, password) })).body.access_token;
  await json(`${target.apiUrl}/api/v1/session`, { token });
  await json(`${target.apiUrl}/api/v1/projects`, { token });
  await json(`${target.apiUrl}/api/v1/instances`, { token, headers: { 'x-project-id': s.body.project_id } });
  const admin = (await json(tokenUrl, { method: 'POST', form: loginForm(target.systemAdmin.username, target.systemAdmin.password.reveal()) })).body.access_token;
  await json(`${target.apiUrl}/api/v1/admin/users/${s.body.user.id}`, { method: 'DELETE', token: admin });
}

async function engineSignup() {
  const run = await runJourneys({ journeys: [personalSignup], target, executors });
  if (run.status !== 'passed') throw new Error(`personal-signup failed: ${JSON.stringify(run.journeys[0]?.attempts.at(-1)?.steps.find((s) => s.status !== 'passed'))}`);
}

// Warm both paths once, then alternate so drift in the sandbox hits both equally.
await plainSignup(-1);
await engineSignup();
const plain: number[] = [];
const engine: number[] = [];
for (let i = 0; i < N; i++) {
  let t = performance.now();
  await plainSignup(i);
  plain.push(performance.now() - t);
  t = performance.now();
  await engineSignup();
  engine.push(performance.now() - t);
}
for (const e of executors) await e.close?.();
await dispatcher.close();
await sandbox.close();

interface Cold { wall: number; suite: number; slowest: number }
function coldRun(extra: string[]): Cold {
  const out = mkdtempSync(join(tmpdir(), 'onramp-cold-'));
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/onramp.js', 'run', '--target', 'sandbox', '--reporter', 'json', '--output', out, ...extra], { encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`onramp run exited ${r.status}: ${r.stdout}${r.stderr}`);
  const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { run: { duration_ms: number }; journeys: { duration_ms: number }[] };
  return { wall, suite: report.run.duration_ms, slowest: Math.max(...report.journeys.map((j) => j.duration_ms)) };
}
// What `npm ci` leaves: the compiled CLI, fresh (bin/onramp.js falls back to tsx after an edit).
spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
const coldSerial: Cold[] = [];
const coldDefault: Cold[] = [];
const coldApi: Cold[] = [];
for (let i = 0; i < COLD; i++) {
  coldSerial.push(coldRun(['--concurrency', '1']));
  coldDefault.push(coldRun([]));
  coldApi.push(coldRun(['--tag', 'api']));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const coldRow = (measurement: string, runs: Cold[]) => ({
  measurement,
  iterations: runs.length,
  'median ms': Math.round(median(runs.map((r) => r.wall))),
  'total ms': Math.round(sum(runs.map((r) => r.wall))),
  'suite / slowest journey': median(runs.map((r) => r.suite / r.slowest)).toFixed(2),
});
console.table([
  { measurement: 'personal-signup, plain undici script', iterations: N, 'median ms': Math.round(median(plain)), 'total ms': Math.round(sum(plain)) },
  { measurement: 'personal-signup, onramp engine', iterations: N, 'median ms': Math.round(median(engine)), 'total ms': Math.round(sum(engine)) },
  coldRow('onramp run, cold, --concurrency 1', coldSerial),
  coldRow('onramp run, cold, default concurrency (goal: <= 1.3x)', coldDefault),
  // The cold-start goal was set for the API journeys; the browser journey alone takes about 2 s.
  coldRow('onramp run --tag api, cold, default concurrency (goals: <= 2500 ms, <= 1.3x)', coldApi),
]);
console.log(`engine / plain (median): ${(median(engine) / median(plain)).toFixed(3)}  (goal <= 1.05)`);
