// Where a journey and each of its steps are written in its file, for reports that point at source
// (the Playwright Test integration: a test's location, a step's location, a failure's stack).
// A journey's id is its file's stem, so its file is `<folder>/<id>.journey.ts` (or `.js`) in the
// first journeys folder that has it. Lines are found by reading the source, not by running it:
// `defineJourney(` for the journey, the elements of its `steps: [...]` list for the steps. When the
// list cannot be read element by element (a spread, steps built elsewhere), every step points at
// the journey.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_JOURNEYS_DIR } from '../engine/load-journeys.ts';

/** 1-based, as Playwright's and V8's locations are. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface JourneySource {
  file: string;
  journey: SourceLocation;
  /** One per step, in the journey's order. */
  steps: SourceLocation[];
}

/** The folders journeys are loaded from, as the config's `journeys` section says (load-journeys.ts). */
export const journeyFolders = (s: { dir?: string; builtin?: boolean } = {}): string[] => [...(s.builtin === false ? [] : [DEFAULT_JOURNEYS_DIR]), ...(s.dir ? [resolve(s.dir)] : [])];

/** The file a journey was loaded from: `<folder>/<id>.journey.ts` or `.js`, in the first folder that has one. */
export function journeyFile(id: string, folders: string[]): string | undefined {
  for (const dir of folders) {
    for (const ext of ['ts', 'js']) {
      const file = join(dir, `${id}.journey.${ext}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** Where the journey and its `stepCount` steps are written in `file`. */
export function journeySource(file: string, stepCount: number): JourneySource {
  let src = '';
  try {
    src = readFileSync(file, 'utf8');
  } catch {
    // Unreadable: everything points at the file's first line.
  }
  const at = (index: number): SourceLocation => {
    const before = src.slice(0, Math.max(0, index));
    const line = before.split('\n').length;
    return { file, line, column: index - (before.lastIndexOf('\n') + 1) + 1 };
  };
  const define = /\bdefineJourney\s*\(/.exec(src);
  const journey = at(define?.index ?? 0);
  const starts = stepStarts(src, define?.index ?? 0);
  const steps = starts?.length === stepCount ? starts.map(at) : Array.from({ length: stepCount }, () => journey);
  return { file, journey, steps };
}

/** The index where each element of the first `steps: [...]` after `from` starts; undefined if unreadable. */
export function stepStarts(src: string, from: number): number[] | undefined {
  const key = /\bsteps\s*:\s*\[/g;
  key.lastIndex = from;
  const m = key.exec(src);
  if (!m) return undefined;
  const starts: number[] = [];
  let i = m.index + m[0].length;
  for (;;) {
    i = skipSpace(src, i);
    if (i >= src.length) return undefined;
    if (src[i] === ']') return starts;
    if (src.startsWith('...', i)) return undefined;
    starts.push(i);
    i = scanTo(src, i, ',]');
    if (i >= src.length) return undefined;
    if (src[i] === ',') i++;
  }
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Past whitespace and comments. */
function skipSpace(src: string, i: number): number {
  for (;;) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    if (src.startsWith('//', i)) i = lineEnd(src, i);
    else if (src.startsWith('/*', i)) i = blockEnd(src, i);
    else return i;
  }
}

const lineEnd = (src: string, i: number) => (src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i));
const blockEnd = (src: string, i: number) => (src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2);

/** The index of the first of `stops` at nesting depth 0 from `i`, past strings, templates, comments and brackets. */
function scanTo(src: string, i: number, stops: string): number {
  while (i < src.length) {
    const c = src[i]!;
    if (stops.includes(c)) return i;
    if (src.startsWith('//', i)) i = lineEnd(src, i);
    else if (src.startsWith('/*', i)) i = blockEnd(src, i);
    else if (c === "'" || c === '"') i = stringEnd(src, i + 1, c);
    else if (c === '`') i = templateEnd(src, i + 1);
    else if (CLOSE[c]) i = scanTo(src, i + 1, CLOSE[c]) + 1;
    else i++;
  }
  return src.length;
}

function stringEnd(src: string, i: number, quote: string): number {
  while (i < src.length && src[i] !== quote && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
  return i + 1;
}

function templateEnd(src: string, i: number): number {
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\') i += 2;
    else if (src.startsWith('${', i)) i = scanTo(src, i + 2, '}') + 1;
    else i++;
  }
  return i + 1;
}
