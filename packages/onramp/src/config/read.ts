// Reads a config file into a plain value, before any validation: YAML, or a TypeScript/JavaScript
// module exporting the object. Every failure is a ConfigError naming the file.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from './error.ts';

// Far above what a hand-written config uses, far below what a "billion laughs" bomb expands to.
const MAX_YAML_ALIASES = 100;
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

export async function readConfigFile(file: string): Promise<unknown> {
  return MODULE_EXTENSIONS.has(extname(file)) ? importModule(file) : readYaml(file);
}

async function importModule(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    // tsImport loads the file in its own namespace whatever the nearest package.json's "type" says;
    // a plain import() of a .ts file in a CommonJS folder fails with a misleading "in a cycle".
    const { tsImport } = await import('tsx/esm/api');
    mod = await tsImport(pathToFileURL(resolve(file)).href, import.meta.url);
  } catch (err) {
    throw new ConfigError(file, [`cannot load: ${loadFailure(err)}`]);
  }
  // A module compiled to CommonJS (a .ts file outside a "type": "module" folder) arrives as
  // { default: module.exports }, its exports marked __esModule.
  const exports = isRecord(mod.default) && mod.default.__esModule ? mod.default : mod;
  const value = exports.default ?? exports.config;
  if (value === undefined) throw new ConfigError(file, ['exports no config: expected `export default { ... }`, the object onramp.config.yaml would hold']);
  return value;
}

/** The first meaningful lines of a load error, without tsx's internal namespace query. */
function loadFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Transform failed with \d+ error/.test(l));
  const stop = lines.findIndex((l) => l.startsWith('Require stack:'));
  return (stop >= 0 ? lines.slice(0, stop) : lines.slice(0, 2)).join(' ').replace(/\?namespace=[\w-]+/g, '');
}

async function readYaml(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === 'ENOENT' ? 'no such file' : `cannot read the file: ${code ?? (err as Error).message}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) throw new ConfigError(file, doc.errors.map((e) => yamlProblem(e.message, e.linePos?.[0], text)));
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    // The yaml package refuses alias expansion past the bound with a ReferenceError.
    throw new ConfigError(file, [`too many YAML aliases (${(err as Error).message}); at most ${MAX_YAML_ALIASES} expansions are allowed`]);
  }
}

/** `line L, column C: message near "source line"`: the line itself, since the position may sit past it. */
function yamlProblem(message: string, pos: { line: number; col: number } | undefined, text: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (!pos) return first;
  const lines = text.split('\n');
  let at = Math.min(pos.line, lines.length);
  while (at > 1 && !lines[at - 1]!.trim()) at--;
  const source = lines[at - 1]?.trim();
  return `line ${pos.line}, column ${pos.col}: ${first}${source ? ` near "${source}"` : ''}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
