// The config schema's validator (contracts/config.schema.json). The build precompiles it with Ajv's
// standalone code (scripts/build.mjs: dist/src/config/config-validator.js, written by
// ./precompile.ts): compiling the schema at every start was a fifth of a cold `onramp run`'s way to
// its first request. It is compiled here instead when that file is missing (the sources, under
// vitest or tsx) or was made from another text of the schema (an edit in a checkout, before the
// next build), so a run never checks a config against a schema it does not have.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ErrorObject } from 'ajv';

/** Ajv's options for the config schema: at run time and in the precompiled validator alike. */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: false } as const;

/** The precompiled validator, beside this module in dist/src/config/. */
export const PRECOMPILED_CONFIG_VALIDATOR = 'config-validator.js';

export interface ConfigValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** What the precompiled module exports: the validator and the digest of the schema text it was made from. */
export interface PrecompiledConfigValidator {
  validate: ConfigValidate;
  schemaDigest: string;
}

export const schemaDigest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `precompiled`: where the precompiled module is looked for; beside this module unless a test says otherwise. */
export async function configValidator(schemaFile: string, precompiled: URL = new URL(`./${PRECOMPILED_CONFIG_VALIDATOR}`, import.meta.url)): Promise<ConfigValidate> {
  const [text, built] = await Promise.all([readFile(schemaFile, 'utf8'), loadPrecompiled(precompiled)]);
  if (built?.schemaDigest === schemaDigest(text)) return built.validate;
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  return new Ajv2020(CONFIG_AJV_OPTIONS).compile(JSON.parse(text));
}

async function loadPrecompiled(file: URL): Promise<PrecompiledConfigValidator | undefined> {
  // Absent beside the sources; a file that is there and does not load is a broken build, and says so.
  if (!(await stat(file).then((s) => s.isFile(), () => false))) return undefined;
  return (await import(file.href)) as PrecompiledConfigValidator;
}
