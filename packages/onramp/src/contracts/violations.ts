// Ajv's errors turned into violations a person can act on: what the schema wanted, stated plainly,
// next to the value that broke it.
import type { ErrorObject } from 'ajv';
import type { SchemaLocator } from './schema-locations.ts';
import type { Violation } from './types.ts';

// Violations end up in reports and logs; a leaked enrollment secret or password must not.
const SECRET_KEY = /secret|password|passwd|token_hash|^authorization$/i;
const REDACTED = '[redacted]';

export function redact(value: unknown, key?: string): unknown {
  if (key !== undefined && SECRET_KEY.test(key) && value !== null && value !== undefined && typeof value !== 'boolean') return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}

const lastSegment = (pointer: string): string | undefined => {
  const i = pointer.lastIndexOf('/');
  return i < 0 ? undefined : pointer.slice(i + 1).replace(/~1/g, '/').replace(/~0/g, '~');
};

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Enum values read as `[tenant_admin, operator, auditor]`: strings bare, everything else as JSON. */
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A value in a one-line message: long values are cut, the violation keeps the whole value. */
function brief(v: unknown): string {
  const s = v === undefined ? 'missing' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

interface Described {
  instancePath: string;
  expected: string;
  actual: unknown;
  missing?: true;
}

function describe(e: ErrorObject): Described {
  const p = e.params as Record<string, unknown>;
  const at = (prop: string) => `${e.instancePath}/${escapePointer(prop)}`;
  const propertyOf = (prop: string) => (e.data as Record<string, unknown> | undefined)?.[prop];
  switch (e.keyword) {
    case 'required':
      return { instancePath: at(String(p.missingProperty)), expected: `required property "${p.missingProperty}"`, actual: 'missing', missing: true };
    case 'dependentRequired':
      return { instancePath: at(String(p.missingProperty)), expected: `property "${p.missingProperty}" when "${p.property}" is present`, actual: 'missing', missing: true };
    case 'additionalProperties':
      return { instancePath: at(String(p.additionalProperty)), expected: `no property "${p.additionalProperty}"`, actual: propertyOf(String(p.additionalProperty)) };
    case 'unevaluatedProperties':
      return { instancePath: at(String(p.unevaluatedProperty)), expected: `no property "${p.unevaluatedProperty}"`, actual: propertyOf(String(p.unevaluatedProperty)) };
    case 'false schema': {
      // `properties: { secret: false }` is how a schema forbids one property.
      const forbidden = /\/properties\/([^/]+)\/false schema$/.exec(e.schemaPath)?.[1];
      const name = forbidden ?? lastSegment(e.instancePath);
      return { instancePath: e.instancePath, expected: forbidden ? `no property "${name}"` : 'nothing at this location', actual: e.data };
    }
    case 'type':
      return { instancePath: e.instancePath, expected: `type ${String(p.type).split(',').join(' or ')}`, actual: e.data };
    case 'enum':
      return { instancePath: e.instancePath, expected: `one of [${(p.allowedValues as unknown[]).map(show).join(', ')}]`, actual: e.data };
    case 'const':
      return { instancePath: e.instancePath, expected: `equal to ${show(p.allowedValue)}`, actual: e.data };
    case 'format':
      return { instancePath: e.instancePath, expected: `format ${p.format}`, actual: e.data };
    case 'pattern':
      return { instancePath: e.instancePath, expected: `a string matching /${p.pattern}/`, actual: e.data };
    case 'minLength':
      return { instancePath: e.instancePath, expected: `at least ${p.limit} characters`, actual: e.data };
    case 'maxLength':
      return { instancePath: e.instancePath, expected: `at most ${p.limit} characters`, actual: e.data };
    case 'minItems':
      return { instancePath: e.instancePath, expected: `at least ${p.limit} item${p.limit === 1 ? '' : 's'}`, actual: e.data };
    case 'maxItems':
      return { instancePath: e.instancePath, expected: `at most ${p.limit} item${p.limit === 1 ? '' : 's'}`, actual: e.data };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { instancePath: e.instancePath, expected: `a number ${p.comparison} ${p.limit}`, actual: e.data };
    case 'contains':
      return { instancePath: e.instancePath, expected: `at least ${p.minContains ?? 1} item matching ${JSON.stringify(e.schema)}`, actual: e.data };
    case 'not':
      return { instancePath: e.instancePath, expected: `not matching ${JSON.stringify(e.schema)}`, actual: e.data };
    default:
      return { instancePath: e.instancePath, expected: e.message ?? e.keyword, actual: e.data };
  }
}

/**
 * `#/...` paths are relative to the schema that was compiled (which may be a fragment of a file);
 * they are anchored at it, so each path names its file. Paths ajv reports through a `$ref` already
 * start with the referenced file.
 */
function anchorSchemaPath(schemaPath: string, root: string): string {
  if (!schemaPath.startsWith('#')) return schemaPath;
  const [file, fragment = ''] = root.split('#');
  return `${file}#${fragment}${schemaPath.slice(1)}`;
}

/** `root` is the short name of the compiled schema, e.g. `error.schema.json#/$defs/invalidRequest`. */
export function toViolations(errors: readonly ErrorObject[] | null | undefined, root: string, locator?: SchemaLocator): Violation[] {
  const out: Violation[] = [];
  for (const e of errors ?? []) {
    // `if` fails with a generic "must match then schema"; the then-branch's own errors say what.
    if (e.keyword === 'if') continue;
    const d = describe(e);
    const actual = d.missing ? d.actual : redact(d.actual, lastSegment(d.instancePath));
    out.push({
      instancePath: d.instancePath,
      schemaPath: locator?.locate(e, root.split('#')[0]!) ?? anchorSchemaPath(e.schemaPath, root),
      expected: d.expected,
      actual,
      message: `${d.instancePath || '(root)'}: expected ${d.expected}, actual ${d.missing ? 'missing' : brief(actual)}`,
    });
  }
  return out;
}

/** The short, file-relative name of a schema id: `https://onramp.dev/contracts/x.schema.json#/a` -> `x.schema.json#/a`. */
export function shortSchemaName(id: string): string {
  const [base = '', fragment] = id.split('#');
  const file = base.slice(base.lastIndexOf('/') + 1) || base;
  return fragment ? `${file}#${fragment}` : file;
}
