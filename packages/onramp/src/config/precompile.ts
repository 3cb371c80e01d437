// Build-time only (scripts/build.mjs; nothing at run time imports it): the config schema's validator
// as a module of Ajv's standalone code, compiled with the options ./validator.ts compiles with at
// run time, so its errors, and the problems describeErrors makes of them, are the same. Its runtime
// helpers are still `require`d from ajv: the build bundles them in.
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { CONFIG_AJV_OPTIONS, schemaDigest } from './validator.ts';

/** The module's source (ESM): `validate`, and `schemaDigest`, the digest of `schemaText`. */
export function configValidatorSource(schemaText: string): string {
  const ajv = new Ajv2020({ ...CONFIG_AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode.default(ajv, ajv.compile(JSON.parse(schemaText)));
  return `${code}\nexport const schemaDigest = ${JSON.stringify(schemaDigest(schemaText))};\n`;
}
