// Finds journeys (`*.journey.ts`, one per file, default export) and checks their definitions up
// front, collecting every problem by file and step rather than failing on the first.
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { JourneyDefinition } from './journey.ts';

export const DEFAULT_JOURNEYS_DIR = fileURLToPath(new URL('../../journeys', import.meta.url));
const KINDS = new Set(['http', 'idp', 'db', 'browser']);

export class JourneyLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the journeys:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JourneyLoadError';
  }
}

export async function loadJourneys(dir = DEFAULT_JOURNEYS_DIR): Promise<JourneyDefinition[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.journey.ts') || f.endsWith('.journey.js')).sort();
  } catch (err) {
    throw new JourneyLoadError([`${dir}: cannot read the journeys folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const problems: string[] = [];
  const journeys: JourneyDefinition[] = [];
  for (const f of files) {
    let j: JourneyDefinition | undefined;
    try {
      j = ((await importJourney(pathToFileURL(resolve(dir, f)).href)) as { default?: JourneyDefinition }).default;
    } catch (err) {
      const hint = f.endsWith('.ts') && !(await inModuleFolder(dir)) ? ' (a TypeScript journey outside onramp needs a folder whose package.json says "type": "module")' : '';
      problems.push(`${f}: cannot load: ${(err as Error).message.split('\n')[0]}${hint}`);
      continue;
    }
    const before = problems.length;
    problems.push(...checkJourney(j, f));
    if (problems.length === before) journeys.push(j!);
  }
  const seen = new Map<string, string>();
  for (const [j, f] of journeys.map((j) => [j, files.find((x) => basename(x).startsWith(`${j.id}.`))] as const)) {
    if (seen.has(j.id)) problems.push(`${f}: journey id "${j.id}" is also used by ${seen.get(j.id)}`);
    seen.set(j.id, f ?? j.id);
  }
  if (!files.length) problems.push(`${join(dir)}: no *.journey.ts files`);
  if (problems.length) throw new JourneyLoadError(problems);
  return journeys;
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

export function checkJourney(j: JourneyDefinition | undefined, file: string): string[] {
  if (!j || typeof j !== 'object') return [`${file}: the default export is not a journey (use \`export default defineJourney({...})\`)`];
  const problems: string[] = [];
  const stem = basename(file).replace(/\.journey\.[jt]s$/, '');
  if (j.id !== stem) problems.push(`${file}: id "${j.id}" must equal the file name "${stem}"`);
  if (!j.title) problems.push(`${file}: title is required`);
  if (!Array.isArray(j.steps) || !j.steps.length) problems.push(`${file}: steps must be a non-empty list`);
  const names = new Set<string>();
  (j.steps ?? []).forEach((s, i) => {
    if (!s?.name) problems.push(`${file}: steps[${i}]: name is required`);
    else if (names.has(s.name)) problems.push(`${file}: steps[${i}]: name "${s.name}" is used twice`);
    names.add(s?.name);
    if (!KINDS.has(s?.kind)) problems.push(`${file}: steps[${i}] "${s?.name}": unknown kind "${s?.kind}"`);
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
