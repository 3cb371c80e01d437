// Sandbox cold start on the embedded database, side by side in one run: PGlite by initdb on every
// start (cacheDir: false) against PGlite unpacked from the prepared snapshot (goal: <= 1000 ms),
// and the one start that builds the snapshot. Rounds alternate so both see the same machine load.
//   npx tsx bench/sandbox-boot.bench.ts [rounds=5]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSandbox } from '../src/start.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const silent = pino({ level: 'silent' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function boot(cacheDir: string | false): Promise<number> {
  const t0 = performance.now();
  const s = await startSandbox({ cacheDir, log: silent });
  const ms = performance.now() - t0;
  await s.close();
  return ms;
}

const cacheDir = await mkdtemp(join(tmpdir(), 'onramp-boot-bench-'));
try {
  const building = await boot(cacheDir);
  const cold: number[] = [];
  const snapshot: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    cold.push(await boot(false));
    snapshot.push(await boot(cacheDir));
  }
  const row = (measurement: string, xs: number[]) => ({ measurement, rounds: xs.length, 'min ms': Math.round(Math.min(...xs)), 'median ms': Math.round(median(xs)) });
  console.table([
    row('startSandbox, PGlite initdb every start', cold),
    row('startSandbox, PGlite from snapshot (goal <= 1000 ms)', snapshot),
    row('startSandbox that builds the snapshot (first start)', [building]),
  ]);
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
