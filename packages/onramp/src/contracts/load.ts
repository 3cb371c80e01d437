// loadContracts: a contract folder (schemas/*.schema.json + openapi.json) checked as a whole and
// compiled once. The default is the folder shipped with onramp; users point at their own. A folder
// the build verified (./verified.ts) skips the checks it passed there, and compiles each schema
// when a body first needs it.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.ts';
import { Contracts } from './contracts.ts';
import { ContractLoadError } from './errors.ts';
import { buildIndex, OPENAPI_FILE } from './openapi-index.ts';
import { isObject, parseJson, readText } from './read-json.ts';
import { SchemaLocator } from './schema-locations.ts';
import { addSchemaFiles, readSchemaSources } from './schemas.ts';
import type { ContractProblem } from './types.ts';
import { contractsDigest, verifiedDigest } from './verified.ts';

export const DEFAULT_CONTRACTS_DIR = fileURLToPath(new URL('../../contracts/', import.meta.url));

export interface LoadContractsOptions {
  /**
   * The digest of a folder known to load without problems: the build's (dist/src/contracts/verified.json)
   * by default, none beside the sources. An empty string checks the folder whatever it holds.
   */
  verified?: string;
}

/** Throws ContractLoadError listing every problem in the folder, each named by its file. */
export async function loadContracts(dir: string = DEFAULT_CONTRACTS_DIR, o: LoadContractsOptions = {}): Promise<Contracts> {
  const root = resolve(dir);
  const problems: ContractProblem[] = [];
  const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new ContractLoadError(root, [{ file: '.', message: 'not a folder' }]);

  // Every file read at once; their problems are still listed in the order the files are checked.
  const [sources, openapi, known] = await Promise.all([readSchemaSources(root, problems), readText(join(root, OPENAPI_FILE), OPENAPI_FILE), o.verified ?? verifiedDigest()]);
  const digest = sources && contractsDigest([...sources, openapi]);
  const verified = !!known && digest === known;
  const ajv = createAjv({ verified });
  const locator = new SchemaLocator();
  const schemas = sources ? addSchemaFiles(sources, ajv, locator, problems, { verified }) : [];
  const validators = new Map<string, ValidateFunction>();
  const before = problems.length;
  const doc = parseJson(openapi, problems);
  if (problems.length === before && !isObject(doc)) problems.push({ file: OPENAPI_FILE, message: 'must hold one JSON object' });
  const index = isObject(doc) ? buildIndex({ dir: root, doc, ajv, schemas, problems, validators, verified }) : [];

  if (problems.length) throw new ContractLoadError(root, problems);
  return new Contracts(root, { ajv, locator }, schemas, index, validators, { digest: digest!, verified });
}
