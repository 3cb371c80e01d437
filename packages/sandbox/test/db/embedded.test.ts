// The embedded database as the sandbox uses it: PGlite behind a TCP port, reached with plain `pg`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { createPool } from '../../src/db/pool.ts';

describe('embedded postgres (in memory)', () => {
  let db: EmbeddedPostgres;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    pool = createPool(db.url, { single: true });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('answers select 1 through pg at a postgres:// url on 127.0.0.1', async () => {
    expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps serving after an SQL error makes the pool replace its connection', async () => {
    // pg-pool closes a connection whose query failed and opens a new one at once.
    for (let i = 0; i < 3; i++) {
      await expect(pool.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
      expect((await pool.query('SELECT $1::int AS n', [i])).rows).toEqual([{ n: i }]);
    }
  });

  it('rolls back a transaction whose connection went away', async () => {
    await pool.query('CREATE TABLE tx_probe (n int)');
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO tx_probe VALUES (1)');
    client.release(new Error('drop this connection mid-transaction'));
    expect((await pool.query('SELECT count(*)::int AS n FROM tx_probe')).rows).toEqual([{ n: 0 }]);
  });

  it('holds a second connection until the first one closes, rather than mixing them', async () => {
    const first = new pg.Client(db.url);
    const second = new pg.Client(db.url);
    const idle = await pool.connect();
    // The pool keeps its connection open, which would hold `first` at the gate: drop it.
    idle.release(true);
    await first.connect();
    let secondReady = false;
    const connecting = second.connect().then(() => (secondReady = true));
    await first.query('SELECT 1');
    await new Promise((r) => setTimeout(r, 100));
    expect(secondReady).toBe(false);
    await first.end();
    await connecting;
    expect((await second.query('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
    await second.end();
    expect((await pool.query('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
  });
});

describe('embedded postgres (data directory)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across a restart', async () => {
    const dataDir = join(dir, 'persist');
    let db = await startEmbeddedPostgres({ dataDir });
    let pool = createPool(db.url, { single: true });
    await pool.query('CREATE TABLE kept (note text)');
    await pool.query('INSERT INTO kept VALUES ($1)', ['survives a restart']);
    await pool.end();
    await db.close();

    db = await startEmbeddedPostgres({ dataDir });
    pool = createPool(db.url, { single: true });
    try {
      expect((await pool.query('SELECT note FROM kept')).rows).toEqual([{ note: 'survives a restart' }]);
    } finally {
      await pool.end();
      await db.close();
    }
  }, 60_000);

  it('lets the process exit by itself once closed', async () => {
    const script = fileURLToPath(new URL('./fixtures/embedded-exit.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, join(dir, 'exit')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 45_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain('answered 42');
    expect(code).toBe(0);
  }, 60_000);
});

describe('createPool', () => {
  it('reports a connection lost while idle instead of crashing the process', async () => {
    const db = await startEmbeddedPostgres();
    const onError = vi.fn();
    const pool = createPool(db.url, { single: true, onError });
    await pool.query('SELECT 1');
    await db.close();
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    await pool.end();
  }, 60_000);

  it('allows one connection when single', () => {
    const pool = createPool('postgres://127.0.0.1:1/x', { single: true });
    expect(pool.options.max).toBe(1);
    void pool.end();
  });
});
