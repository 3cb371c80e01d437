// onramp monitor figures:
//  1. memory: 1,000 scheduled runs (20 journeys of 3 HTTP steps, every second, a failure now and
//     then) through the real scheduler, runner, metrics and history sinks, against a local target;
//     RSS after a 200-run warm-up and at the end (goal: growth at most 10%);
//  2. /metrics latency with 50 journeys x 10 steps of series (with exemplars and process metrics),
//     in both expositions (goal: p99 at most 10 ms).
//   node --expose-gc --import tsx bench/monitor.bench.ts [runs=1000]     (npm run bench:monitor)
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { JourneyDefinition } from '../src/engine/journey.ts';
import type { Target } from '../src/engine/target.ts';
import { secret } from '../src/engine/secret.ts';
import { createHttpExecutor } from '../src/engine/executors/http.ts';
import { MemoryHistory } from '../src/monitor/history.ts';
import { MonitorMetrics } from '../src/monitor/metrics.ts';
import { metricsSink } from '../src/monitor/metrics-sink.ts';
import { startMonitor } from '../src/monitor/monitor.ts';
import { parseSchedule } from '../src/monitor/schedule.ts';
import { startServer } from '../src/monitor/server.ts';

const RUNS = Number(process.argv[2] ?? 1000);
const WARMUP = Math.round(RUNS / 5);
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;
/** Median of five samples after a full GC each: one sample swings by tens of MiB with the allocator. */
const rss = async () => {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc?.();
    samples.push(process.memoryUsage().rss);
    await new Promise((r) => setTimeout(r, 200));
  }
  return samples.sort((a, b) => a - b)[2]!;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

// The target: answers JSON with a correlation id; one request in 25 is a 500.
let served = 0;
const target = createServer((req, res) => {
  const failing = ++served % 25 === 0;
  res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json', 'x-correlation-id': randomUUID() });
  res.end(JSON.stringify(failing ? { code: 'internal_error', message: 'bench failure' } : { ok: true }));
});
await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
const apiUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
const tgt: Target = { name: 'bench', apiUrl, idpUrl: apiUrl, realm: 'bench', loginClient: { clientId: 'x' }, adminClient: { clientId: 'x', clientSecret: secret('x') }, systemAdmin: { username: 'x', password: secret('x') }, production: false };

const journeys: JourneyDefinition[] = Array.from({ length: 20 }, (_, j) => ({
  id: `bench-${j}`,
  title: `bench journey ${j}`,
  tags: [],
  steps: ['read a', 'read b', 'read c'].map((name) => ({ name, kind: 'http' as const, request: () => ({ method: 'GET', path: `/api/v1/${name.replace(' ', '-')}` }), expect: { status: 200, contract: false } })),
}));

// 1. Memory over RUNS scheduled runs.
const store = new MemoryHistory(500);
const executors = [createHttpExecutor()];
const monitor = await startMonitor({
  journeys: journeys.map((journey) => ({ journey, schedule: parseSchedule('1s'), jitterMs: 900 })),
  target: tgt,
  executors,
  settings: { concurrency: 8, browserConcurrency: 1, runTimeoutMs: 10_000, graceMs: 5_000, retentionMs: 86_400_000 },
  store,
  host: '127.0.0.1',
  port: 0,
  log: () => undefined,
});
const runsDone = async () => (await monitor.metrics.runs.get()).values.reduce((t, v) => t + v.value, 0);
const waitRuns = async (n: number) => {
  while ((await runsDone()) < n) await new Promise((r) => setTimeout(r, 200));
};
const t0 = performance.now();
await waitRuns(WARMUP);
const warm = await rss();
const warmHeap = process.memoryUsage().heapUsed;
// The trend in between: a leak climbs steadily; allocator and V8 heap sizing level off.
const series: string[] = [];
for (let n = WARMUP * 2; n < RUNS; n += WARMUP) {
  await waitRuns(n);
  const m = process.memoryUsage();
  series.push(`${n}: rss ${mib(m.rss)} heapTotal ${mib(m.heapTotal)} external ${mib(m.external)}`);
}
await waitRuns(RUNS);
const end = await rss();
const endHeap = process.memoryUsage().heapUsed;
const secs = (performance.now() - t0) / 1000;
await monitor.stop();
for (const e of executors) await e.close?.();
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (p99 latencies include waits for a core)`);
console.log(`runs: ${await runsDone()} in ${secs.toFixed(0)} s (20 journeys x 3 HTTP steps, every 1 s, concurrency 8)${gc ? '' : '  [run with --expose-gc for steadier figures]'}`);
console.log(`memory along the way (MiB): ${series.join('; ')}`);
console.log(`RSS after ${WARMUP}-run warm-up: ${mib(warm)} MiB; after ${RUNS} runs: ${mib(end)} MiB; growth ${(((end - warm) / warm) * 100).toFixed(1)}% (goal <= 10%); JS heap in use ${mib(warmHeap)} -> ${mib(endHeap)} MiB`);

// 2. /metrics with 50 journeys x 10 steps of series.
const metrics = new MonitorMetrics({ location: 'bench' });
for (let j = 0; j < 50; j++) {
  const sink = metricsSink(metrics);
  await sink.onRunStart?.({ runId: `run-${j}`, target: 'bench', journeys: [] });
  const steps = Array.from({ length: 10 }, (_, s) => ({ id: `step-${s}`, name: `step ${s}`, kind: 'http', status: s === 9 && j % 5 === 0 ? ('failed' as const) : ('passed' as const), durationMs: 20 + s * 30 + j, code: s === 9 && j % 5 === 0 ? ('unexpected_status' as const) : undefined, correlationId: randomUUID(), checks: [], violations: [], http: [], always: false }));
  for (const s of steps) await sink.onStepEnd?.(`journey-${j}`, s);
  await sink.onJourneyEnd?.({ id: `journey-${j}`, title: '', tags: [], status: j % 5 === 0 ? 'failed' : 'passed', durationMs: 3000, attempts: [{ attempt: 1, status: 'passed', durationMs: 3000, steps }] });
}
// The exposition alone (no HTTP), to tell rendering cost from waiting for a core on a busy machine.
for (const [label, accept] of [['plain text', 'text/plain'], ['OpenMetrics', 'application/openmetrics-text']] as const) {
  const lat: number[] = [];
  for (let i = 0; i < 600; i++) {
    const s = performance.now();
    await metrics.expose(accept);
    if (i >= 100) lat.push(performance.now() - s);
  }
  console.log(`expose() ${label}: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`);
}
const server = await startServer({ metrics, store: new MemoryHistory(1), journeys: [], isRunning: () => true, busy: () => [], refreshSeconds: 5 }, '127.0.0.1', 0);
for (const [label, accept] of [['plain text', 'text/plain'], ['OpenMetrics', 'application/openmetrics-text; version=1.0.0']] as const) {
  const lat: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 600; i++) {
    const s = performance.now();
    const res = await request(`${server.url}/metrics`, { headers: { accept } });
    bytes = (await res.body.text()).length;
    if (i >= 100) lat.push(performance.now() - s);
  }
  console.log(`/metrics ${label}: ${(bytes / 1024).toFixed(0)} KiB; p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms over ${lat.length} scrapes (goal p99 <= 10 ms)`);
}
await server.close();
target.close();
