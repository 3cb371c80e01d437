// contracts/runs.schema.json as a check for tests of /api/runs: the problems (empty when valid).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

let validate: ValidateFunction | undefined;

export async function validateRuns(answer: unknown): Promise<string[]> {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    validate = ajv.compile(JSON.parse(await readFile(fileURLToPath(new URL('../../contracts/runs.schema.json', import.meta.url)), 'utf8')));
  }
  return validate(answer) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
