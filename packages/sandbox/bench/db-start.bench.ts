// How long a database takes to be ready for the sandbox, side by side: embedded PGlite cold (in
// memory, or a new data directory), PGlite reopening a data directory, PGlite unpacked from a
// prepared snapshot (src/db/snapshot.ts), and a throwaway PostgreSQL 15 cluster as the tests use.
// "ready" = the first `select 1` through pg answered.
// Run: npx tsx bench/db-start.bench.ts [rounds]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { startTestPostgres } from '../../../test/support/postgres.ts';

const rounds = Number(process.argv[2] ?? process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  start: number;
  stop: number;
}

async function ready(url: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
}

async function time(open: () => Promise<{ url: string; close: () => Promise<void> }>): Promise<Sample> {
  const t0 = performance.now();
  const db = await open();
  await ready(db.url);
  const t1 = performance.now();
  await db.close();
  return { start: t1 - t0, stop: performance.now() - t1 };
}

const scratch = await mkdtemp(join(tmpdir(), 'onramp-bench-'));
const results = new Map<string, Sample[]>();
const record = (name: string, s: Sample) => results.set(name, [...(results.get(name) ?? []), s]);

// Made once before the rounds (that start is a cold one), as the first sandbox start makes it.
const snapshot = { file: join(scratch, 'snapshot.tar'), prepare: async () => {} };
await (await startEmbeddedPostgres({ snapshot })).close();

try {
  for (let i = 0; i < rounds; i++) {
    record('PGlite cold, in memory', await time(() => startEmbeddedPostgres()));
    const dataDir = join(scratch, `pglite-${i}`);
    record('PGlite cold, new data dir', await time(() => startEmbeddedPostgres({ dataDir })));
    record('PGlite reopen data dir', await time(() => startEmbeddedPostgres({ dataDir })));
    record('PGlite from snapshot', await time(() => startEmbeddedPostgres({ snapshot })));
    record('PG15 throwaway cluster', await time(async () => {
      const c = await startTestPostgres();
      return { url: c.url, close: c.stop };
    }));
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const ms = (x: number) => `${Math.round(x)}`.padStart(6);
const stat = (xs: number[]) => `${ms(Math.min(...xs))} ${ms(median(xs))} ${ms(Math.max(...xs))}`;

console.log(`database start to first query, then close; ${rounds} round(s), ms (min median max)`);
console.log(`${''.padEnd(28)} ${'start'.padStart(20)}   ${'close'.padStart(20)}`);
for (const [name, samples] of results) {
  console.log(`${name.padEnd(28)} ${stat(samples.map((s) => s.start))}   ${stat(samples.map((s) => s.stop))}`);
}
