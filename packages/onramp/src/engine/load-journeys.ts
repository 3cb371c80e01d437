// Finds journeys (`*.journey.ts`, one per file, default export) and checks their definitions up
// front, collecting every problem by file and step rather than failing on the first.
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { STEP_ID_PATTERN, stepId, type JourneyDefinition } from './journey.ts';

export const DEFAULT_JOURNEYS_DIR = fileURLToPath(new URL('../../journeys', import.meta.url));
const KINDS = new Set(['http', 'idp', 'db', 'browser']);

export class JourneyLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the journeys:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JourneyLoadError';
  }
}

/**
 * Where journeys come from, as the config's `journeys` section says: onramp's built-in journeys
 * (unless `builtin: false`) and the folder `dir`, if any.
 */
export interface JourneySources {
  dir?: string;
  builtin?: boolean;
}

/**
 * The journeys of one folder (a path), or of the config's sources: the built-in journeys first, then
 * `dir`'s. A journey id used twice is a problem naming both files; every problem is collected.
 */
export async function loadJourneys(from: string | JourneySources = DEFAULT_JOURNEYS_DIR): Promise<JourneyDefinition[]> {
  const dirs = typeof from === 'string' ? [from] : await journeyFolders(from);
  if (!dirs.length) throw new JourneyLoadError(['journeys.builtin is false and there is no journeys.dir: no journeys to load']);
  // One folder: its files by name, as before; several: by path, so a problem says which folder.
  const name = (dir: string, f: string) => (dirs.length > 1 ? join(dir, f) : f);
  const problems: string[] = [];
  const loaded: { journey: JourneyDefinition; file: string }[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith('.journey.ts') || f.endsWith('.journey.js')).sort();
    } catch (err) {
      problems.push(`${dir}: cannot read the journeys folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (!files.length) problems.push(`${join(dir)}: no *.journey.ts files`);
    for (const f of files) {
      let j: JourneyDefinition | undefined;
      try {
        j = ((await importJourney(pathToFileURL(resolve(dir, f)).href)) as { default?: JourneyDefinition }).default;
      } catch (err) {
        const hint = f.endsWith('.ts') && !(await inModuleFolder(dir)) ? ' (a TypeScript journey outside onramp needs a folder whose package.json says "type": "module")' : '';
        problems.push(`${name(dir, f)}: cannot load: ${(err as Error).message.split('\n')[0]}${hint}`);
        continue;
      }
      const before = problems.length;
      problems.push(...checkJourney(j, name(dir, f)));
      if (problems.length === before) loaded.push({ journey: j!, file: name(dir, f) });
    }
  }
  const seen = new Map<string, string>();
  for (const { journey, file } of loaded) {
    const first = seen.get(journey.id);
    if (first !== undefined) problems.push(`${file}: journey id "${journey.id}" is also used by ${first}`);
    else seen.set(journey.id, file);
  }
  if (problems.length) throw new JourneyLoadError(problems);
  return loaded.map((l) => l.journey);
}

/** The folders of the config's sources, each once (a `dir` that is the built-in folder is not loaded twice). */
async function journeyFolders(s: JourneySources): Promise<string[]> {
  const dirs = [...(s.builtin === false ? [] : [DEFAULT_JOURNEYS_DIR]), ...(s.dir ? [resolve(s.dir)] : [])];
  const real = await Promise.all(dirs.map((d) => realpath(d).catch(() => d)));
  return dirs.filter((_d, i) => real.indexOf(real[i]!) === i);
}

/**
 * A plain import first: from source, tsx's loader is registered already (bin/onramp.js, vitest).
 * Where Node cannot load the file itself, tsx's tsImport does, in its own namespace: a `.ts`
 * journey beside the compiled CLI (dist/ is plain JS), or one in a folder without
 * `"type": "module"` (which Node would otherwise fail with a misleading "in a cycle").
 */
async function importJourney(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!url.endsWith('.ts') || !(e.code === 'ERR_UNKNOWN_FILE_EXTENSION' || e.code === 'ERR_REQUIRE_CYCLE_MODULE' || /in a cycle/.test(e.message))) throw err;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
}

/** Whether the nearest package.json above `dir` says `"type": "module"`. */
async function inModuleFolder(dir: string): Promise<boolean> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const pkg = await readFile(join(d, 'package.json'), 'utf8').catch(() => undefined);
    if (pkg !== undefined) return (JSON.parse(pkg) as { type?: string }).type === 'module';
    if (dirname(d) === d) return false;
  }
}

/** A journey's or a step's timeout: above it a typo, and past 2^31-1 ms a Node timer fires at once. */
const MAX_TIMEOUT_MS = 3_600_000;

export function checkJourney(j: JourneyDefinition | undefined, file: string): string[] {
  if (!j || typeof j !== 'object') return [`${file}: the default export is not a journey (use \`export default defineJourney({...})\`)`];
  const problems: string[] = [];
  const stem = basename(file).replace(/\.journey\.[jt]s$/, '');
  if (j.id !== stem) problems.push(`${file}: id "${j.id}" must equal the file name "${stem}"`);
  if (!j.title) problems.push(`${file}: title is required`);
  if (!Array.isArray(j.steps) || !j.steps.length) problems.push(`${file}: steps must be a non-empty list`);
  const timeout = (ms: unknown, at: string) => {
    if (ms !== undefined && !(Number.isInteger(ms) && (ms as number) >= 1 && (ms as number) <= MAX_TIMEOUT_MS)) problems.push(`${file}: ${at}timeoutMs: expected whole milliseconds from 1 to ${MAX_TIMEOUT_MS} (1h), got ${String(ms)}`);
  };
  timeout(j.timeoutMs, '');
  // Step ids key the metric series and the reports: one per step within the journey.
  const ids = new Map<string, { i: number; name: string }>();
  (j.steps ?? []).forEach((s, i) => {
    if (!s?.name) problems.push(`${file}: steps[${i}]: name is required`);
    if (!KINDS.has(s?.kind)) problems.push(`${file}: steps[${i}] "${s?.name}": unknown kind "${s?.kind}"`);
    timeout(s?.timeoutMs, `steps[${i}] "${s?.name}": `);
    if (s?.id !== undefined && (typeof s.id !== 'string' || !STEP_ID_PATTERN.test(s.id))) {
      problems.push(`${file}: steps[${i}] "${s.name}": id "${String(s.id)}" must be a slug (a-z, 0-9, - and _, starting with a letter or digit, up to 64)`);
      return;
    }
    if (!s?.name && s?.id === undefined) return;
    const id = stepId(s);
    const first = ids.get(id);
    if (first) problems.push(`${file}: journey "${j.id}": steps[${first.i}] "${first.name}" and steps[${i}] "${s.name}" have the same step id "${id}" (give one of them its own id:)`);
    else ids.set(id, { i, name: s.name });
  });
  return problems;
}

export interface Selection {
  ids?: string[];
  tags?: string[];
  grep?: RegExp;
}

/** The journeys a run takes; ids that match nothing are returned, so the caller can say so. */
export function selectJourneys(all: JourneyDefinition[], s: Selection): { selected: JourneyDefinition[]; unknownIds: string[] } {
  const unknownIds = (s.ids ?? []).filter((id) => !all.some((j) => j.id === id));
  const selected = all.filter(
    (j) =>
      (!s.ids?.length || s.ids.includes(j.id)) &&
      (!s.tags?.length || s.tags.some((t) => j.tags.includes(t))) &&
      (!s.grep || s.grep.test(j.id) || s.grep.test(j.title)),
  );
  return { selected, unknownIds };
}
