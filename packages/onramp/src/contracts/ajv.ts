// One Ajv instance per contract folder. strict is off because OpenAPI-flavoured schemas carry
// keywords JSON Schema does not know (example, discriminator, x-*); verbose keeps the offending
// value on each error, which is what a violation shows as `actual`.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * `verified`: the folder's schemas are known to be valid (./verified.ts), so Ajv does not check them
 * against the meta-schema as they are added and compiled; compiling the meta-schema alone took tens
 * of milliseconds of every start. Nothing else about validation changes.
 */
export function createAjv(o: { verified?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, ...(o.verified ? { validateSchema: false } : {}) });
  addFormats.default(ajv);
  return ajv;
}
