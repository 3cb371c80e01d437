// openapi.json as an index: method + path template + status -> the validator of the body's schema.
// Schema refs point at the schema files (`schemas/session.schema.json#/$defs/x`) or at a schema's
// $id; responses may be shared through `#/components/responses/...`. Each validator is compiled
// when the index is built, or, for a folder the build verified, when a body first needs it.
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { compilePathTemplate, type PathTemplate } from './path-template.ts';
import { isObject } from './read-json.ts';
import type { SchemaFile } from './schemas.ts';
import type { ContractProblem } from './types.ts';

export const OPENAPI_FILE = 'openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What a response or request body must be: nothing, JSON of a schema, or something not checked. */
export type BodyRule =
  | { kind: 'none' }
  | { kind: 'json'; schema: string; validator: () => ValidateFunction }
  | { kind: 'unchecked' };

export interface IndexedOperation {
  operationId: string;
  method: string;
  path: PathTemplate;
  /** Keyed by status as openapi.json writes it: `201`, `4XX`, `default`. */
  responses: Map<string, BodyRule>;
  requestBody?: BodyRule;
}

interface IndexContext {
  dir: string;
  doc: Record<string, unknown>;
  ajv: Ajv2020;
  schemas: SchemaFile[];
  problems: ContractProblem[];
  /** Shared with Contracts.validate, so a fragment is compiled once whoever asks first. */
  validators: Map<string, ValidateFunction>;
  /** The build verified the folder: every ref resolves and every schema compiles, so each compiles when first used. */
  verified: boolean;
}

export function buildIndex(ctx: IndexContext): IndexedOperation[] {
  const { doc, problems } = ctx;
  const problem = (where: string, message: string) => problems.push({ file: OPENAPI_FILE, where, message });
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) problem('openapi', `must be an OpenAPI 3.1.x document, found ${JSON.stringify(doc.openapi)}`);
  if (!isObject(doc.paths)) {
    problem('paths', 'missing or not an object');
    return [];
  }

  const operations: IndexedOperation[] = [];
  const seenIds = new Map<string, string>();
  const seenShapes = new Map<string, string>();
  for (const [template, rawItem] of Object.entries(doc.paths)) {
    const item = resolveLocal(ctx, rawItem, `paths.${template}`);
    if (!isObject(item)) continue;
    let path: PathTemplate;
    try {
      path = compilePathTemplate(template);
    } catch (err) {
      problem(`paths.${template}`, (err as Error).message);
      continue;
    }
    const twin = seenShapes.get(path.shape);
    if (twin) problem(`paths.${template}`, `matches the same paths as ${twin}`);
    seenShapes.set(path.shape, template);

    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const where = `paths.${template}.${method}`;
      if (!isObject(op)) {
        problem(where, 'an operation is an object');
        continue;
      }
      const operationId = typeof op.operationId === 'string' && op.operationId ? op.operationId : undefined;
      if (!operationId) problem(where, 'operationId is missing');
      else if (seenIds.has(operationId)) problem(where, `operationId ${operationId} is also used by ${seenIds.get(operationId)}`);
      else seenIds.set(operationId, where);

      const responses = new Map<string, BodyRule>();
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) problem(`${where}.responses`, 'no responses documented');
      else {
        for (const [status, raw] of Object.entries(op.responses)) {
          const at = `${where}.responses.${status}`;
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) {
            problem(at, 'a status is a code (200), a range (4XX) or default');
            continue;
          }
          const rule = bodyRule(ctx, resolveLocal(ctx, raw, at), at);
          if (rule) responses.set(status, rule);
        }
      }
      const requestBody = op.requestBody === undefined ? undefined : bodyRule(ctx, resolveLocal(ctx, op.requestBody, `${where}.requestBody`), `${where}.requestBody`);
      if (operationId) operations.push({ operationId, method: method.toUpperCase(), path, responses, requestBody });
    }
  }
  return operations;
}

/** Follows `#/components/...` refs inside openapi.json (a short chain, never a cycle). */
function resolveLocal(ctx: IndexContext, value: unknown, where: string): unknown {
  let v = value;
  for (let hops = 0; isObject(v) && typeof v.$ref === 'string' && v.$ref.startsWith('#'); hops++) {
    if (hops > 10) {
      ctx.problems.push({ file: OPENAPI_FILE, where, message: `$ref chain too long or circular at ${v.$ref}` });
      return undefined;
    }
    const ref = v.$ref;
    v = jsonPointer(ctx.doc, ref.slice(1));
    if (v === undefined) {
      ctx.problems.push({ file: OPENAPI_FILE, where, message: `$ref ${ref} points at nothing in ${OPENAPI_FILE}` });
      return undefined;
    }
  }
  return v;
}

function jsonPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let v = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function bodyRule(ctx: IndexContext, holder: unknown, where: string): BodyRule | undefined {
  if (!isObject(holder)) {
    if (holder !== undefined) ctx.problems.push({ file: OPENAPI_FILE, where, message: 'must be an object' });
    return undefined;
  }
  if (holder.content === undefined) return { kind: 'none' };
  if (!isObject(holder.content)) {
    ctx.problems.push({ file: OPENAPI_FILE, where: `${where}.content`, message: 'must be an object' });
    return undefined;
  }
  const mediaType = Object.keys(holder.content).find((m) => /^application\/([\w.+-]+\+)?json\b/i.test(m));
  if (!mediaType) return { kind: 'unchecked' };
  const media = holder.content[mediaType];
  const at = `${where}.content.${mediaType}.schema`;
  const schema = isObject(media) ? resolveLocal(ctx, media.schema, at) : undefined;
  if (!isObject(schema)) {
    ctx.problems.push({ file: OPENAPI_FILE, where: at, message: 'no schema' });
    return undefined;
  }
  return typeof schema.$ref === 'string' ? compileRef(ctx, schema.$ref, at) : compileInline(ctx, schema, at);
}

type JsonRule = Extract<BodyRule, { kind: 'json' }>;

/** A ref to a schema file (relative to openapi.json) or to a schema's $id, with an optional fragment. */
function compileRef(ctx: IndexContext, ref: string, where: string): JsonRule | undefined {
  const problem = (message: string) => ctx.problems.push({ file: OPENAPI_FILE, where, message: `$ref ${ref}: ${message}` });
  const [base = '', fragment] = ref.split('#');
  let target: SchemaFile | undefined;
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(base);
  if (isUrl && !base.startsWith('file:')) {
    target = ctx.schemas.find((s) => s.id === base);
    if (!target) return void problem(`no schema in ${ctx.dir} has this $id`);
  } else {
    const path = fileURLToPath(new URL(base, pathToFileURL(`${ctx.dir}/${OPENAPI_FILE}`)));
    target = ctx.schemas.find((s) => s.path === path);
    if (!target) return void problem(`no schema file ${relative(ctx.dir, path) || path}`);
  }
  // The file's own problems are already listed; a second report here would only repeat them.
  if (!target.ok) return undefined;
  const id = fragment ? `${target.id}#${fragment}` : target.id;
  const { file } = target;
  const validator = () => {
    const v = compiled(ctx, id);
    if (!v) throw new Error(`${OPENAPI_FILE} (${where}): $ref ${ref}: no such location in ${file}`);
    return v;
  };
  if (ctx.verified) return { kind: 'json', schema: id, validator };
  const validate = compiled(ctx, id);
  if (!validate) return void problem(`no such location in ${target.file}`);
  return { kind: 'json', schema: id, validator: () => validate };
}

export function compiled(ctx: Pick<IndexContext, 'ajv' | 'validators'>, id: string): ValidateFunction | undefined {
  let v = ctx.validators.get(id);
  if (v) return v;
  try {
    v = ctx.ajv.getSchema(id);
  } catch {
    return undefined;
  }
  if (v) ctx.validators.set(id, v);
  return v;
}

function compileInline(ctx: IndexContext, schema: Record<string, unknown>, where: string): JsonRule | undefined {
  const id = `${pathToFileURL(`${ctx.dir}/${OPENAPI_FILE}`).href}#/${where}`;
  const compile = () => {
    const validate = ctx.ajv.compile(schema);
    ctx.validators.set(id, validate);
    return validate;
  };
  if (ctx.verified) return { kind: 'json', schema: id, validator: () => ctx.validators.get(id) ?? compile() };
  try {
    const validate = compile();
    return { kind: 'json', schema: id, validator: () => validate };
  } catch (err) {
    ctx.problems.push({ file: OPENAPI_FILE, where, message: `inline schema does not compile: ${(err as Error).message}` });
    return undefined;
  }
}
