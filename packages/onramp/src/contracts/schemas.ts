// The schema files of a contract folder (schemas/*.schema.json), each added to Ajv under its $id.
// Every file is checked even after one fails, so all problems surface together. A folder the build
// verified (./verified.ts) is not checked again: its schemas are compiled when first used.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { DRAFT_2020_12 } from './ajv.ts';
import { isObject, parseJson, readText, type ReadText } from './read-json.ts';
import type { SchemaLocator } from './schema-locations.ts';
import type { ContractProblem } from './types.ts';
import { shortSchemaName } from './violations.ts';

export interface SchemaFile {
  /** `session` for schemas/session.schema.json. */
  name: string;
  /** Relative to the contract folder: `schemas/session.schema.json`. */
  file: string;
  path: string;
  id: string;
  /** False when the file has problems of its own; refs to it are not reported again. */
  ok: boolean;
}

export const SCHEMA_DIR = 'schemas';
const SCHEMA_FILE = /\.schema\.json$/;

/** One schema file as read: its name in the folder and its text (or the problem of reading it). */
export type SchemaSource = ReadText & { name: string; path: string };

/** The folder's schema files, read all at once, in name order; undefined when schemas/ cannot be listed. */
export async function readSchemaSources(dir: string, problems: ContractProblem[]): Promise<SchemaSource[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(join(dir, SCHEMA_DIR))).filter((n) => SCHEMA_FILE.test(n)).sort();
  } catch (err) {
    problems.push({ file: `${SCHEMA_DIR}/`, message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder not found' : `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  return Promise.all(
    names.map(async (n) => {
      const path = join(dir, SCHEMA_DIR, n);
      return { ...(await readText(path, `${SCHEMA_DIR}/${n}`)), name: n, path };
    }),
  );
}

/**
 * Each source added to Ajv under its $id (its file URL without one). Unless `verified`, each is
 * checked against the JSON Schema meta-schema and compiled, its problems named by its file.
 */
export function addSchemaFiles(sources: SchemaSource[], ajv: Ajv2020, locator: SchemaLocator, problems: ContractProblem[], o: { verified: boolean }): SchemaFile[] {
  const files: SchemaFile[] = [];
  const byId = new Map<string, SchemaFile>();
  for (const source of sources) {
    const { file, path } = source;
    const before = problems.length;
    const schema = parseJson(source, problems);
    if (problems.length > before) continue;
    if (!isObject(schema)) {
      problems.push({ file, message: 'a schema file holds one JSON object' });
      continue;
    }
    // Without an $id a schema is known by its file URL, so relative refs between such files work.
    const id = typeof schema.$id === 'string' ? schema.$id.replace(/#$/, '') : pathToFileURL(path).href;
    const entry: SchemaFile = { name: source.name.replace(SCHEMA_FILE, ''), file, path, id, ok: false };
    files.push(entry);
    const twin = byId.get(id);
    if (twin) {
      problems.push({ file, message: `$id ${id} is already used by ${twin.file}` });
      continue;
    }
    byId.set(id, entry);
    if (schema.$schema !== undefined && schema.$schema !== DRAFT_2020_12 && schema.$schema !== `${DRAFT_2020_12}#`) {
      problems.push({ file, where: '$schema', message: `only JSON Schema 2020-12 (${DRAFT_2020_12}) is supported, found ${JSON.stringify(schema.$schema)}` });
      continue;
    }
    if (!o.verified && !ajv.validateSchema(schema)) {
      problems.push({ file, message: `not a valid JSON Schema: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}` });
      continue;
    }
    try {
      const added = { ...schema, $id: id };
      ajv.addSchema(added);
      locator.add(shortSchemaName(id), added);
      entry.ok = true;
    } catch (err) {
      problems.push({ file, message: (err as Error).message });
    }
  }
  if (o.verified) return files;

  // Compiled only once every file is added: schemas refer to each other in any order.
  for (const f of files) {
    if (!f.ok) continue;
    try {
      ajv.getSchema(f.id);
    } catch (err) {
      f.ok = false;
      problems.push({ file: f.file, message: `does not compile: ${(err as Error).message}` });
    }
  }
  return files;
}
