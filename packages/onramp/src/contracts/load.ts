// loadContracts: a contract folder (schemas/*.schema.json + openapi.json) checked as a whole and
// compiled once. The default is the folder shipped with onramp; users point at their own.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.ts';
import { Contracts } from './contracts.ts';
import { ContractLoadError } from './errors.ts';
import { buildIndex, OPENAPI_FILE } from './openapi-index.ts';
import { isObject, readJsonFile } from './read-json.ts';
import { SchemaLocator } from './schema-locations.ts';
import { loadSchemaFiles } from './schemas.ts';
import type { ContractProblem } from './types.ts';

export const DEFAULT_CONTRACTS_DIR = fileURLToPath(new URL('../../contracts/', import.meta.url));

/** Throws ContractLoadError listing every problem in the folder, each named by its file. */
export async function loadContracts(dir: string = DEFAULT_CONTRACTS_DIR): Promise<Contracts> {
  const root = resolve(dir);
  const problems: ContractProblem[] = [];
  const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new ContractLoadError(root, [{ file: '.', message: 'not a folder' }]);

  const ajv = createAjv();
  const locator = new SchemaLocator();
  const schemas = await loadSchemaFiles(root, ajv, locator, problems);
  const validators = new Map<string, ValidateFunction>();
  const before = problems.length;
  const doc = await readJsonFile(join(root, OPENAPI_FILE), OPENAPI_FILE, problems);
  if (problems.length === before && !isObject(doc)) problems.push({ file: OPENAPI_FILE, message: 'must hold one JSON object' });
  const index = isObject(doc) ? buildIndex({ dir: root, doc, ajv, schemas, problems, validators }) : [];

  if (problems.length) throw new ContractLoadError(root, problems);
  return new Contracts(root, { ajv, locator }, schemas, index, validators);
}
