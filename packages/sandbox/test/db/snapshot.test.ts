// The embedded database's prepared snapshot: made once by the first start, used by the next ones,
// rebuilt when stale or damaged, written safely when two processes race, and never a reason for a
// start to fail.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { createPool } from '../../src/db/pool.ts';
import { defaultCacheDir, snapshotFile } from '../../src/db/snapshot.ts';

const root = await mkdtemp(join(tmpdir(), 'onramp-snapshot-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const migrations = join(root, 'migrations');
await mkdir(migrations);
await writeFile(join(migrations, '0001.sql'), 'CREATE TABLE prepared (n int)');

/** Starts on the snapshot in `cacheDir`; `prepare` marks the database, as migrations would. */
async function start(cacheDir: string) {
  const file = await snapshotFile(cacheDir, [migrations]);
  let prepared = 0;
  const db = await startEmbeddedPostgres({
    snapshot: {
      file,
      async prepare(url) {
        prepared++;
        const pool = createPool(url, { single: true });
        await pool.query('CREATE TABLE prepared (n int)');
        await pool.end();
      },
    },
  });
  const pool = createPool(db.url, { single: true });
  const tables = (await pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'prepared'")).rows[0].n as number;
  await pool.end();
  await db.close();
  return { startedFrom: db.startedFrom, prepared, tables, file };
}

const listing = async (dir: string) => (await readdir(dir)).sort();

describe('embedded database snapshot', () => {
  it('is made by the first start and used by the next, with the prepared schema in it', async () => {
    const cache = join(root, 'first');
    const first = await start(cache);
    expect(first).toMatchObject({ startedFrom: 'initdb', prepared: 1, tables: 1 });
    expect(first.file).toMatch(/pglite-\d+\.\d+\.\d+-[0-9a-f]{16}\.tar$/);
    const second = await start(cache);
    expect(second).toMatchObject({ startedFrom: 'snapshot', prepared: 0, tables: 1 });
    expect(await listing(cache)).toEqual([first.file.slice(cache.length + 1)]);
  }, 60_000);

  it('is rebuilt when the migrations change, and the stale one is removed', async () => {
    const cache = join(root, 'stale');
    const before = await start(cache);
    await writeFile(join(migrations, '0002.sql'), '-- a new migration');
    try {
      const after = await start(cache);
      expect(after.file).not.toBe(before.file);
      expect(after).toMatchObject({ startedFrom: 'initdb', prepared: 1 });
      expect(await listing(cache)).toEqual([after.file.slice(cache.length + 1)]);
    } finally {
      await rm(join(migrations, '0002.sql'));
    }
  }, 90_000);

  it('is replaced when damaged, and the start goes on cold', async () => {
    const cache = join(root, 'damaged');
    const file = await snapshotFile(cache, [migrations]);
    await mkdir(cache, { recursive: true });
    await writeFile(file, 'not a tar archive at all');
    expect(await start(cache)).toMatchObject({ startedFrom: 'initdb', prepared: 1, tables: 1 });
    expect(await start(cache)).toMatchObject({ startedFrom: 'snapshot', tables: 1 });
  }, 90_000);

  it('survives two starts racing to make it: both start, one whole file, no temporary left', async () => {
    const cache = join(root, 'race');
    const both = await Promise.all([start(cache), start(cache)]);
    expect(both.map((b) => b.tables)).toEqual([1, 1]);
    expect(await listing(cache)).toEqual([both[0].file.slice(cache.length + 1)]);
    expect(await start(cache)).toMatchObject({ startedFrom: 'snapshot', tables: 1 });
  }, 90_000);

  it('does not stop a start when the cache cannot be written', async () => {
    // A file where the cache folder should be: unwritable even for root, who ignores permissions.
    const blocked = join(root, 'blocked');
    await writeFile(blocked, 'x');
    expect(await start(join(blocked, 'cache'))).toMatchObject({ startedFrom: 'initdb', tables: 1 });
  }, 60_000);

  it.each([
    [{ ONRAMP_CACHE_DIR: '/x/onramp-cache' }, '/x/onramp-cache'],
    [{ XDG_CACHE_HOME: '/x/cache' }, '/x/cache/onramp'],
    [{}, join(homedir(), '.cache', 'onramp')],
  ])('lives in %j -> %s', (env, expected) => {
    expect(defaultCacheDir(env)).toBe(expected);
  });
});
