// The published package's weight and cold start, side by side in one run, from tarballs packed and
// installed by this bench in a temporary folder (test/packaging/installs.ts: `npm pack` from a copy
// of the checkout, `npm install` of the tarballs with production dependencies):
//  1. installed size on disk (allocated blocks, as `du` counts them) of node_modules with the
//     product alone against the product and @onramp/sandbox together (goal: alone <= 70 %);
//  2. cold `onramp --version`: the median of N spawns of the installed bin against `node -e 0`, run
//     in turn, pair by pair (goal: <= 0.1 s);
//  3. cold `onramp run` against a configured target, with no sandbox installed: from the spawn to
//     the first request arriving at a local HTTP server the config's target points at (goal: <= 0.5 s),
//     and onramp's own share of it: each run less a `node -e 0` started right after it.
// The machine's load average is printed with the figures: other work on it slows every spawn.
//   npx tsx bench/package.bench.ts [runs=21] [DIR: reuse the installs in DIR, made there if missing]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskUsage, insideRepo, installProject, mib, packWorkspaces, userEnv } from '../test/packaging/installs.ts';

const RUNS = Number(process.argv[2] ?? 21);
const reuse = process.argv[3];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER');

// --- The installs -----------------------------------------------------------------------------------
const work = reuse ?? mkdtempSync(join(tmpdir(), 'onramp-package-bench-'));
if (insideRepo(work)) throw new Error(`${work} lies inside the repository: its node_modules would be found`);
const alone = join(work, 'product-only');
const both = join(work, 'product-and-sandbox');
const bin = join(alone, 'node_modules/onramp/bin/onramp.js');
if (!existsSync(bin) || !existsSync(join(both, 'node_modules/@onramp/sandbox/package.json'))) {
  mkdirSync(work, { recursive: true });
  rmSync(join(work, 'checkout'), { recursive: true, force: true });
  rmSync(join(work, 'tarballs'), { recursive: true, force: true });
  const packed = await packWorkspaces(work);
  console.log(`packed in ${(packed.ms / 1000).toFixed(1)} s: onramp ${packed.product.entryCount} files ${(packed.product.size / 1024).toFixed(0)} KiB, @onramp/sandbox ${packed.sandbox.entryCount} files ${(packed.sandbox.size / 1024).toFixed(0)} KiB`);
  const [a, b] = await Promise.all([
    installProject(alone, { dependencies: { onramp: packed.product.file } }),
    installProject(both, { dependencies: { onramp: packed.product.file, '@onramp/sandbox': packed.sandbox.file } }),
  ]);
  console.log(`installed in ${(a.install.ms / 1000).toFixed(1)} s (product alone) and ${(b.install.ms / 1000).toFixed(1)} s (with the sandbox), in ${work}`);
} else {
  console.log(`reusing the installs in ${work}`);
}

const loadBefore = loadavg()[0]!;

// --- 1. Size on disk ----------------------------------------------------------------------------------
const sizeAlone = diskUsage(join(alone, 'node_modules'));
const sizeBoth = diskUsage(join(both, 'node_modules'));
const ratio = sizeAlone / sizeBoth;

// --- 2. Cold --version --------------------------------------------------------------------------------
const env = userEnv();
// A CA bundle named here is read by every node process at start (tens of ms on a big bundle): a
// property of this machine, not of onramp. The spawns below make no TLS connection.
const extraCa = env.NODE_EXTRA_CA_CERTS !== undefined;
delete env.NODE_EXTRA_CA_CERTS;
const wall = (args: string[]) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: alone, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return performance.now() - t;
};
wall([bin, '--version']);
wall(['-e', '0']);
const version: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  version.push(wall([bin, '--version']));
  baseline.push(wall(['-e', '0']));
}
const overhead = version.map((v, i) => v - baseline[i]!);

// --- 3. Cold run: spawn to the first request ----------------------------------------------------------
let arrived: ((at: number) => void) | undefined;
const server = createServer((req, res) => {
  arrived?.(performance.now());
  arrived = undefined;
  res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"bench"}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const config = join(work, 'bench-target.yaml');
writeFileSync(
  config,
  [
    'targets:',
    '  bench:',
    `    api_url: ${url}`,
    `    idp_url: ${url}`,
    '    realm: bench',
    '    login_client: { client_id: bench, client_secret: { env: BENCH_SECRET } }',
    '    admin_client: { client_id: bench-admin, client_secret: { env: BENCH_SECRET } }',
    '    system_admin: { username: bench, password: { env: BENCH_SECRET } }',
    'defaults: { target: bench }',
    '',
  ].join('\n'),
);
const output = join(work, 'bench-results');
async function firstRequest(): Promise<number> {
  const first = new Promise<number>((resolve) => (arrived = resolve));
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'run', '--config', config, '--tag', 'api', '--output', output, '--no-evidence'], { cwd: alone, env: { ...env, BENCH_SECRET: 'bench' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.resume();
  const exited = new Promise<number>((_, reject) => child.once('exit', (code) => reject(new Error(`onramp run exited (${code}) before any request arrived:\n${err}`))));
  const at = await Promise.race([first, exited]);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve));
  return at - started;
}
await firstRequest();
const toFirst: number[] = [];
// Each run paired with a bare node start, as --version is: what is onramp's own, whatever the load.
const runBaseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  toFirst.push(await firstRequest());
  runBaseline.push(wall(['-e', '0']));
}
const runOwn = toFirst.map((v, i) => v - runBaseline[i]!);
server.close();

// --- Report -------------------------------------------------------------------------------------------
const rows: [string, string, string, string][] = [
  ['installed size (node_modules, on disk)', `product alone ${mib(sizeAlone)}`, `with the sandbox ${mib(sizeBoth)}`, `${(ratio * 100).toFixed(0)} % (goal <= 70 %: ${verdict(ratio <= 0.7)})`],
  [`cold onramp --version (median of ${RUNS})`, `${median(version).toFixed(0)} ms (${spread(version)})`, `node -e 0: ${median(baseline).toFixed(0)} ms (${spread(baseline)})`, `onramp's own ${median(overhead).toFixed(0)} ms; total (goal <= 100 ms: ${verdict(median(version) <= 100)})`],
  [`cold onramp run, spawn to first request (median of ${RUNS})`, `${median(toFirst).toFixed(0)} ms (${spread(toFirst)})`, `no sandbox installed; onramp's own ${median(runOwn).toFixed(0)} ms`, `goal <= 500 ms: ${verdict(median(toFirst) <= 500)}`],
];
const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
console.log(`\nonramp ${spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout.trim()}, node ${process.version}${extraCa ? '; spawned without NODE_EXTRA_CA_CERTS (set here)' : ''}; load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(width[c]!)).join('  |  '));
if (!reuse) rmSync(work, { recursive: true, force: true });
