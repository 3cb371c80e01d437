// A prepared PGlite data directory (initdb done, schemas migrated), kept in the user's cache, so the
// embedded database starts by unpacking it (~0.3 s) instead of running initdb (~2 s) every time.
// The file name carries the PGlite version and a hash of the migrations: a change to either makes a
// new snapshot, and the stale ones are removed when it is written.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PREFIX = 'pglite-';
const SUFFIX = '.tar';

/** ONRAMP_CACHE_DIR, else $XDG_CACHE_HOME/onramp, else ~/.cache/onramp. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ONRAMP_CACHE_DIR) return env.ONRAMP_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'onramp');
}

/** The snapshot file for this PGlite and these migration folders. */
export async function snapshotFile(cacheDir: string, migrationDirs: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of migrationDirs) {
    for (const name of (await readdir(dir)).sort()) {
      hash.update(`${name}\0`);
      hash.update(await readFile(join(dir, name)));
    }
  }
  return join(cacheDir, `${PREFIX}${pgliteVersion()}-${hash.digest('hex').slice(0, 16)}${SUFFIX}`);
}

/** The snapshot, or undefined when there is none (or it cannot be read: the caller starts cold). */
export async function readSnapshot(file: string): Promise<Blob | undefined> {
  try {
    return new BufferBlob(await readFile(file));
  } catch {
    return undefined;
  }
}

/**
 * PGlite reads the snapshot once with arrayBuffer(). A plain Blob would copy the 40 MB twice more
 * (into the Blob, then out of it); this one hands over the file's own buffer.
 */
class BufferBlob extends Blob {
  constructor(private readonly data: Buffer) {
    super([]);
  }

  override get size(): number {
    return this.data.length;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, length } = this.data;
    return byteOffset === 0 && buffer.byteLength === length ? (buffer as ArrayBuffer) : (buffer.slice(byteOffset, byteOffset + length) as ArrayBuffer);
  }
}

/**
 * Writes atomically (a private temporary file renamed into place), so two processes racing to
 * create the same snapshot each leave a whole file and a reader never sees half of one. Snapshots
 * of other versions in the folder are removed.
 */
export async function writeSnapshot(file: string, data: Blob): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, Buffer.from(await data.arrayBuffer()));
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  const own = file.slice(dir.length + 1);
  for (const name of await readdir(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== own) await rm(join(dir, name), { force: true });
  }
}

export async function removeSnapshot(file: string): Promise<void> {
  await rm(file, { force: true });
}

let version: string | undefined;
/** The installed PGlite's version: its package.json is not exported, so it is found on disk. */
function pgliteVersion(): string {
  if (version) return version;
  let dir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite' && pkg.version) return (version = pkg.version);
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}
