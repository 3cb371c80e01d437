// A loaded contract folder: which operation a call is, and whether a body keeps the contract.
// Every schema is compiled at load time, or, for a folder the build verified, when a body first
// needs it (./verified.ts); either way each is compiled once.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { compiled, OPENAPI_FILE, type BodyRule, type IndexedOperation } from './openapi-index.ts';
import { normalizePath } from './path-template.ts';
import type { SchemaLocator } from './schema-locations.ts';
import type { SchemaFile } from './schemas.ts';
import { redact, shortSchemaName, toViolations } from './violations.ts';
import type { HttpMessage, HttpResponseMessage, OperationRef, ResponseCheck, Violation } from './types.ts';

export interface OperationInfo extends OperationRef {
  method: string;
  /** Documented statuses as openapi.json writes them (`201`, `4XX`, `default`). */
  statuses: string[];
}

export class Contracts {
  private readonly validators: Map<string, ValidateFunction>;

  constructor(
    /** The contract folder this was loaded from. */
    readonly dir: string,
    private readonly compiler: { ajv: Ajv2020; locator: SchemaLocator },
    private readonly schemaFiles: SchemaFile[],
    private readonly index: IndexedOperation[],
    validators: Map<string, ValidateFunction>,
    private readonly loaded: { digest: string; verified: boolean },
  ) {
    this.validators = validators;
  }

  /** The digest of the folder's files (./verified.ts). */
  get digest(): string {
    return this.loaded.digest;
  }

  /** Whether the folder was one the build verified: its schemas are compiled when first used. */
  get verified(): boolean {
    return this.loaded.verified;
  }

  /** How many schemas (or fragments) are compiled so far. */
  get compiledCount(): number {
    return this.validators.size;
  }

  /** Every operation of openapi.json, in document order. */
  get operations(): OperationInfo[] {
    return this.index.map((o) => ({ operationId: o.operationId, pathTemplate: o.path.template, method: o.method, statuses: [...o.responses.keys()] }));
  }

  /** Schema names (`session`) with their $ids. */
  get schemas(): { name: string; id: string }[] {
    return this.schemaFiles.map((s) => ({ name: s.name, id: s.id }));
  }

  operationFor(method: string, path: string): OperationRef | undefined {
    const op = this.find(method, path);
    return op && { operationId: op.operationId, pathTemplate: op.path.template };
  }

  validateResponse(res: HttpResponseMessage): ResponseCheck {
    const op = this.find(res.method, res.path);
    if (!op) return { violations: [], unknownOperation: true };
    const status = String(res.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses.has(k));
    if (!key) return { operationId: op.operationId, violations: [], undocumentedStatus: true };
    return { operationId: op.operationId, ...this.checkBody(op.responses.get(key)!, res.body, `${op.path.template}.${op.method.toLowerCase()}.responses.${key}`) };
  }

  /** The request body against the operation's requestBody schema, for journeys that check what they send. */
  validateRequest(req: HttpMessage): ResponseCheck {
    const op = this.find(req.method, req.path);
    if (!op) return { violations: [], unknownOperation: true };
    if (!op.requestBody) return { operationId: op.operationId, violations: [] };
    return { operationId: op.operationId, ...this.checkBody(op.requestBody, req.body, `${op.path.template}.${op.method.toLowerCase()}.requestBody`) };
  }

  /**
   * Any value against one schema, named by $id (`https://onramp.dev/contracts/session.schema.json`),
   * file name (`session.schema.json`) or name (`session`), each with an optional `#/$defs/...`.
   */
  validate(schemaIdOrName: string, value: unknown): Violation[] {
    const id = this.resolveSchemaId(schemaIdOrName);
    const v = id && compiled({ ajv: this.compiler.ajv, validators: this.validators }, id);
    if (!id || !v) throw new Error(`no schema ${JSON.stringify(schemaIdOrName)} in ${this.dir}; known: ${this.schemaFiles.map((s) => s.name).join(', ')}`);
    return v(value) ? [] : toViolations(v.errors, shortSchemaName(id), this.compiler.locator);
  }

  private resolveSchemaId(ref: string): string | undefined {
    const [base = '', fragment] = ref.split('#');
    const file = this.schemaFiles.find((s) => s.id === base || s.name === base || s.file === base || s.file === `schemas/${base}`);
    if (!file) return undefined;
    return fragment ? `${file.id}#${fragment}` : file.id;
  }

  private find(method: string, path: string): IndexedOperation | undefined {
    const m = method.toUpperCase();
    const p = normalizePath(path);
    let best: IndexedOperation | undefined;
    for (const op of this.index) {
      if (op.method !== m || !op.path.match(p)) continue;
      // `/tenants/{tenant_id}/users` and `/tenants/{tenant_id}/{x}`: the literal segment wins.
      if (!best || op.path.literalCount > best.path.literalCount) best = op;
    }
    return best;
  }

  private checkBody(rule: BodyRule, body: unknown, where: string): Omit<ResponseCheck, 'operationId'> {
    const empty = body === undefined || body === null || body === '';
    const at = `${OPENAPI_FILE}#/paths/${where}`;
    if (rule.kind === 'unchecked') return { violations: [] };
    if (rule.kind === 'none') {
      return { violations: empty ? [] : [{ instancePath: '', schemaPath: at, expected: 'no body', actual: redact(body), message: '(root): expected no body, actual a body' }] };
    }
    const schema = rule.schema;
    if (body === undefined || body === '') {
      return { schema, violations: [{ instancePath: '', schemaPath: at, expected: `a JSON body (${shortSchemaName(schema)})`, actual: 'missing', message: `(root): expected a JSON body (${shortSchemaName(schema)}), actual missing` }] };
    }
    const validate = rule.validator();
    return { schema, violations: validate(body) ? [] : toViolations(validate.errors, shortSchemaName(schema), this.compiler.locator) };
  }
}
