// Failed runs' screenshots and traces, kept per run under `<dir>/<journey>/<run_id>/` and pruned as
// new ones arrive: at most `keepFailedRuns` runs per journey and `maxBytes` overall, the oldest
// first. A passing run keeps nothing. The browser executor writes into `<dir>/.incoming/` (the same
// filesystem, so keeping a file is a rename); when a run ends, the artifact sink moves its files into
// the run's folder, or deletes them, and rewrites each artifact's path to be relative to `dir`.
// Run ids start with their start time in base36 (engine/identities.ts), so a folder's name orders it.
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Reporter } from '../engine/reporter.ts';
import type { JourneyResult, RunResult, StepArtifact } from '../engine/results.ts';

export interface ArtifactSettings {
  dir: string;
  /** Failed runs kept per journey, newest first. */
  keepFailedRuns: number;
  /** Bytes kept overall; the oldest runs (of any journey) go first beyond it. */
  maxBytes: number;
}

/** The folder cannot be used (a file, no permission): a configuration problem, named by its setting. */
export class ArtifactDirError extends Error {}

export const ARTIFACT_DEFAULTS = { keepFailedRuns: 20, maxBytes: 200 * 1024 * 1024 } as const;

/** Where the browser executor writes (its output folder), under `dir`: a dot folder, so it is never served and never a journey. */
export const incomingDir = (dir: string) => join(dir, '.incoming');

interface KeptRun {
  journey: string;
  /** The folder's name: the run id (or a file of the layout before run folders). */
  name: string;
  bytes: number;
  files: Set<string>;
}

/**
 * Outcomes whose artifacts are kept: failed runs, as the status page and /api/runs show them. A run
 * that passed on retry (flaky) counts as passing, like onramp_journey_up: its record shows the
 * passing attempt, so its first attempt's files would fill a slot nothing links to.
 */
const KEEP = new Set<JourneyResult['status']>(['failed', 'error']);

export class ArtifactStore {
  readonly #s: ArtifactSettings;
  readonly #runs = new Map<string, KeptRun>();
  readonly #onBytes: (bytes: number) => void;
  #bytes = 0;
  /** keep() calls one after the other: two runs ending together must not prune from one index at once. */
  #queue: Promise<void> = Promise.resolve();

  private constructor(s: ArtifactSettings, onBytes: (bytes: number) => void) {
    this.#s = s;
    this.#onBytes = onBytes;
  }

  /** Indexes what an earlier process kept (and prunes it to the limits); drops its unfinished files. */
  static async open(s: ArtifactSettings, onBytes: (bytes: number) => void = () => undefined): Promise<ArtifactStore> {
    const store = new ArtifactStore(s, onBytes);
    try {
      await rm(store.incomingDir, { recursive: true, force: true });
      await mkdir(store.incomingDir, { recursive: true });
      for (const journey of await names(s.dir)) {
        if (journey.startsWith('.')) continue;
        const at = join(s.dir, journey);
        if (!(await lstat(at)).isDirectory()) continue;
        for (const name of await names(at)) store.#add(journey, name, await sizes(join(at, name)));
      }
      await store.#prune();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new ArtifactDirError(`monitor.artifacts.dir: cannot keep artifacts in ${s.dir} (${e.code ?? e.message})`);
    }
    return store;
  }

  get dir(): string {
    return this.#s.dir;
  }

  /** The browser executor's output folder: its files land in `<incoming>/artifacts/<journey>/`. */
  get incomingDir(): string {
    return incomingDir(this.#s.dir);
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Whether `path` (`<journey>/<run_id>/<file>`, as the history holds it) is still kept here. */
  has(path: string): boolean {
    const [journey, name, file, ...rest] = path.split('/');
    return !rest.length && !!file && !!this.#runs.get(`${journey}/${name}`)?.files.has(file);
  }

  /** Moves a finished run's artifacts into its folders (or deletes them) and prunes; paths are rewritten relative to `dir`. */
  keep(run: RunResult): Promise<void> {
    const next = this.#queue.then(() => this.#keep(run));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #keep(run: RunResult): Promise<void> {
    for (const j of run.journeys) {
      const artifacts = j.attempts.flatMap((a) => a.steps.flatMap((s) => s.artifacts ?? []));
      if (!artifacts.length) continue;
      if (!KEEP.has(j.status)) {
        await Promise.all(artifacts.map((a) => rm(join(this.incomingDir, a.path), { force: true })));
        continue;
      }
      await mkdir(join(this.#s.dir, j.id, run.runId), { recursive: true });
      const files = new Map<string, number>();
      for (const a of artifacts) await this.#move(a, j.id, run.runId, files);
      this.#add(j.id, run.runId, files);
    }
    await this.#prune();
  }

  async #move(a: StepArtifact, journey: string, runId: string, files: Map<string, number>): Promise<void> {
    // The executor names files `<run_id>-a<attempt>-<step>-<name>.<ext>`: the folder says the run already.
    const file = basename(a.path).replace(`${runId}-`, '');
    const to = join(this.#s.dir, journey, runId, file);
    if (!(await rename(join(this.incomingDir, a.path), to).then(() => true, () => false))) return;
    files.set(file, (await lstat(to)).size);
    a.path = `${journey}/${runId}/${file}`;
  }

  #add(journey: string, name: string, files: Map<string, number>): void {
    const bytes = [...files.values()].reduce((n, b) => n + b, 0);
    this.#runs.set(`${journey}/${name}`, { journey, name, bytes, files: new Set(files.keys()) });
    this.#bytes += bytes;
  }

  async #prune(): Promise<void> {
    const byJourney = new Map<string, KeptRun[]>();
    for (const r of this.#runs.values()) byJourney.set(r.journey, [...(byJourney.get(r.journey) ?? []), r]);
    const gone = new Set([...byJourney.values()].flatMap((runs) => newestFirst(runs).slice(this.#s.keepFailedRuns)));
    let bytes = this.#bytes - [...gone].reduce((n, r) => n + r.bytes, 0);
    for (const r of newestFirst([...this.#runs.values()]).reverse()) {
      if (bytes <= this.#s.maxBytes) break;
      if (gone.has(r)) continue;
      gone.add(r);
      bytes -= r.bytes;
    }
    for (const r of gone) {
      await rm(join(this.#s.dir, r.journey, r.name), { recursive: true, force: true });
      this.#runs.delete(`${r.journey}/${r.name}`);
      this.#bytes -= r.bytes;
    }
    this.#onBytes(this.#bytes);
  }
}

/** The artifact sink: runs before the history sink, so the records hold the kept paths. */
export function artifactSink(store: ArtifactStore): Reporter {
  return { name: 'artifacts', onRunEnd: (run) => store.keep(run) };
}

const newestFirst = (runs: KeptRun[]) => runs.sort((a, b) => b.name.localeCompare(a.name));

const names = (dir: string) => readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));

/** A run folder's files (or a loose file itself) with their sizes; links are not followed. */
async function sizes(path: string): Promise<Map<string, number>> {
  const st = await lstat(path);
  if (!st.isDirectory()) return new Map([[basename(path), st.size]]);
  return new Map(await Promise.all((await names(path)).map(async (f) => [f, (await lstat(join(path, f))).size] as const)));
}
