// A slow IdP against a clean run, as a user runs them: the whole `onramp run` (every journey, the
// embedded sandbox, the CLI process from start to exit) clean and with `--fault idp_slow` (Keycloak
// 2.5 s late per request), alternating, N times each on the same machine. Prints both side by
// side, per journey too, and the ratio of the medians (goal: idp_slow <= 2x clean): a slow IdP is
// named `keycloak_slow` in every journey within its own budget, never waited out.
//   npx tsx bench/idp-slow.bench.ts [runs=3]      (npm run bench:idp-slow)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 3);
const BIN = fileURLToPath(new URL('../bin/onramp.js', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Report {
  run: { duration_ms: number };
  journeys: { id: string; status: string; duration_ms: number; steps: { name: string; status: string; code: string | null; always: boolean }[] }[];
}

const out = mkdtempSync(join(tmpdir(), 'onramp-idp-slow-bench-'));

async function once(mode: 'clean' | 'idp_slow', i: number): Promise<{ wallMs: number; report: Report; exit: number | null }> {
  const dir = join(out, `${mode}-${i}`);
  // As a user runs it: evidence bundles for the failed steps are written (a clean run has none).
  const args = [BIN, 'run', '--reporter', 'json', '--output', dir, ...(mode === 'idp_slow' ? ['--fault', 'idp_slow'] : [])];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exit = await new Promise<number | null>((r) => child.once('exit', r));
  const wallMs = performance.now() - t0;
  let report: Report;
  try {
    report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Report;
  } catch {
    throw new Error(`${mode} run ${i}: no results.json (exit ${exit})\n${stderr}`);
  }
  return { wallMs, report, exit };
}

// One run first, not counted: it builds dist/ if a source is newer, which neither mode should pay.
await once('clean', 0);
const runs = { clean: [] as Awaited<ReturnType<typeof once>>[], idp_slow: [] as Awaited<ReturnType<typeof once>>[] };
for (let i = 1; i <= N; i++) {
  for (const mode of ['clean', 'idp_slow'] as const) {
    const r = await once(mode, i);
    runs[mode].push(r);
    console.error(`${mode} #${i}: ${s(r.wallMs)} wall, run ${s(r.report.run.duration_ms)}, exit ${r.exit}`);
  }
}

const problems: string[] = [];
for (const r of runs.clean) if (r.exit !== 0) problems.push(`a clean run exited ${r.exit}: ${r.report.journeys.filter((j) => j.status !== 'passed').map((j) => j.id).join(', ')}`);
for (const r of runs.idp_slow) {
  if (r.exit !== 1) problems.push(`an idp_slow run exited ${r.exit}`);
  for (const j of r.report.journeys) {
    const failed = j.steps.find((x) => !x.always && (x.status === 'failed' || x.status === 'error'));
    if (failed?.code !== 'keycloak_slow') problems.push(`idp_slow: ${j.id} ${j.status} ${failed ? `${failed.name} [${failed.code}]` : ''}`.trim());
  }
}

const wall = { clean: median(runs.clean.map((r) => r.wallMs)), idp_slow: median(runs.idp_slow.map((r) => r.wallMs)) };
const run = { clean: median(runs.clean.map((r) => r.report.run.duration_ms)), idp_slow: median(runs.idp_slow.map((r) => r.report.run.duration_ms)) };
const ids = runs.clean[0]!.report.journeys.map((j) => j.id);
const journeyMs = (mode: keyof typeof runs, id: string) => median(runs[mode].map((r) => r.report.journeys.find((j) => j.id === id)?.duration_ms ?? NaN));
const codeOf = (id: string) => {
  const j = runs.idp_slow.at(-1)!.report.journeys.find((x) => x.id === id);
  const failed = j?.steps.find((x) => !x.always && (x.status === 'failed' || x.status === 'error'));
  return failed ? `${failed.code} at "${failed.name}"` : (j?.status ?? '-');
};

const pad = (v: string, n: number) => v.padEnd(n);
console.log(`onramp run, clean vs --fault idp_slow (Keycloak 2.5 s late per request), median of ${N} each, alternating`);
console.log('');
console.log(`${pad('', 26)}${pad('clean', 12)}${pad('idp_slow', 12)}idp_slow verdict`);
for (const id of ids) console.log(`${pad(id, 26)}${pad(s(journeyMs('clean', id)), 12)}${pad(s(journeyMs('idp_slow', id)), 12)}${codeOf(id)}`);
console.log(`${pad('run (results.json)', 26)}${pad(s(run.clean), 12)}${pad(s(run.idp_slow), 12)}ratio ${(run.idp_slow / run.clean).toFixed(2)}`);
console.log(`${pad('whole CLI (start to exit)', 26)}${pad(s(wall.clean), 12)}${pad(s(wall.idp_slow), 12)}ratio ${(wall.idp_slow / wall.clean).toFixed(2)} (goal <= 2.00)`);
// The machine may be shared: the spread says how far one median can be trusted.
const spread = (xs: number[]) => `${s(Math.min(...xs))} to ${s(Math.max(...xs))}`;
const ratios = runs.clean.map((c, i) => runs.idp_slow[i]!.wallMs / c.wallMs);
console.log(`whole CLI, min-max: clean ${spread(runs.clean.map((r) => r.wallMs))}, idp_slow ${spread(runs.idp_slow.map((r) => r.wallMs))}; ratio of each pair: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
if (problems.length) console.log(`\nPROBLEMS:\n${problems.map((p) => `  ${p}`).join('\n')}`);
rmSync(out, { recursive: true, force: true });
process.exitCode = problems.length || wall.idp_slow / wall.clean > 2 ? 1 : 0;
