// One Ajv instance per contract folder. strict is off because OpenAPI-flavoured schemas carry
// keywords JSON Schema does not know (example, discriminator, x-*); verbose keeps the offending
// value on each error, which is what a violation shows as `actual`.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats.default(ajv);
  return ajv;
}
