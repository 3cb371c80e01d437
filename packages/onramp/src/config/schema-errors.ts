// ajv's errors for the config schema as one line per problem, named by the field's dotted path.
// ajv reports some problems twice (a propertyNames failure also as its inner pattern, a secret as
// each oneOf branch); each place gets one friendly line.
import type { ErrorObject } from 'ajv';

const SECRET = '/$defs/secret/';
const ENV_NAME = 'letters, digits and _, not starting with a digit';

const dotted = (pointer: string) =>
  pointer
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.') || '(top level)';

export function describeErrors(errors: ErrorObject[]): string[] {
  const out = new Map<string, string>();
  for (const e of errors) {
    // The inner errors of propertyNames (pattern, not): the propertyNames error itself says it better.
    if ((e as { propertyName?: string }).propertyName !== undefined) continue;
    if (e.keyword === 'oneOf' && !e.schemaPath.includes(SECRET)) continue;
    if (e.keyword === 'allOf') continue;
    if (e.schemaPath.includes(SECRET)) {
      secretProblem(e, out);
      continue;
    }
    const at = dotted(e.instancePath);
    const params = e.params as Record<string, unknown>;
    let text: string;
    if (e.keyword === 'required') text = `${at}: missing required field "${params.missingProperty}"`;
    else if (e.keyword === 'additionalProperties') text = `${[at, params.additionalProperty].filter((p) => p !== '(top level)').join('.')}: unknown field`;
    else if (e.keyword === 'propertyNames') text = `${at}: target name "${params.propertyName}" is not allowed (lower-case letters, digits, - and _; "sandbox" is built in)`;
    else if (e.keyword === 'pattern' && e.schemaPath.includes('/url/')) text = `${at}: must be an http(s) URL`;
    else if (e.keyword === 'enum') text = `${at}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    else if (e.keyword === 'minProperties' && at === 'targets') text = 'targets: name at least one target, or leave targets out to run on the embedded sandbox';
    else if (e.keyword === 'type' && at === '(top level)') text = '(top level): must be a mapping (targets:, journeys:, contracts:, defaults:, ...)';
    else text = `${at}: ${e.message}`;
    out.set(text, text);
  }
  return [...out.values()];
}

/** One line per secret field; a bad variable name is worth saying, the rest is "use a reference". */
function secretProblem(e: ErrorObject, out: Map<string, string>): void {
  // The error may sit on the reference's own key ({env: "1x"} -> .../env): name the secret field.
  const rest = e.schemaPath.slice(e.schemaPath.indexOf(SECRET) + SECRET.length);
  const depth = (rest.match(/properties\//g) ?? []).length;
  const pointer = e.instancePath.split('/').slice(0, depth ? -depth : undefined).join('/');
  const at = dotted(pointer);
  const key = `secret:${at}`;
  if (e.keyword === 'pattern' && rest.includes('properties/env/')) out.set(key, `${at}.env: must be an environment variable name (${ENV_NAME})`);
  else if (!out.has(key)) out.set(key, `${at}: must be a reference, {env: NAME} or {file: PATH}, never an inline value`);
}
