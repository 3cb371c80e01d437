// The shapes the contract checks hand to the engine and reporters: plain serialisable data.

/** One way a document breaks its schema, readable without the schema at hand. */
export interface Violation {
  /** JSON pointer into the checked document; for a missing property, the path it should be at. */
  instancePath: string;
  /** Where in which schema the rule lives, e.g. `session.schema.json#/required`. */
  schemaPath: string;
  message: string;
  /** What the schema wanted, e.g. `type string`, `required property "tenant_id"`, `no property "secret"`. */
  expected: string;
  /** The offending value (secrets redacted), or "missing". */
  actual: unknown;
}

export interface OperationRef {
  operationId: string;
  pathTemplate: string;
}

export interface ResponseCheck {
  operationId?: string;
  /** The $id (with fragment) of the schema the body was checked against. */
  schema?: string;
  violations: Violation[];
  /** No operation in openapi.json matches the method and path. */
  unknownOperation?: boolean;
  /** The operation documents no response for this status (nor a range or default). */
  undocumentedStatus?: boolean;
}

export interface HttpMessage {
  method: string;
  /** A path (query string allowed) or a full URL. */
  path: string;
  body: unknown;
}

export interface HttpResponseMessage extends HttpMessage {
  status: number;
}

/** One thing wrong with a contract folder, named by the file it is in. */
export interface ContractProblem {
  /** Relative to the contract folder, e.g. `openapi.json`, `schemas/session.schema.json`. */
  file: string;
  /** Where in the file, e.g. `paths./api/v1/session.get.responses.200`. */
  where?: string;
  message: string;
}
