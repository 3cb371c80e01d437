// Request bodies bound as Keycloak's Jackson binding does it: fields read in document order, an
// unknown field refused with Jackson's message and location ("Unrecognized field ... at line L
// column C", the column just past the value's first token), a value of the wrong type refused as
// "Cannot parse the JSON" (unknown_error), a body that is not JSON at all as invalid_request.
import { AdminError, ERRORS } from './respond.ts';

/** How a field's value is read: scalars with Jackson's coercions, lists, string maps, nested types. */
export type FieldKind = 'string' | 'boolean' | 'number' | 'strings' | 'attributes' | 'stringMap' | 'any' | { list: TypeSchema } | { object: TypeSchema };

export interface TypeSchema {
  name: string;
  fields: Record<string, FieldKind>;
}

const wrongType = ERRORS.badType;

/** Binds `text` to `schema`; returns the parsed value (null for a JSON null body). */
export function bindJson(text: string, schema: TypeSchema): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ERRORS.badJson();
  }
  if (value === null) return null;
  new Scanner(text).bindRoot(schema);
  return value;
}

/**
 * Binds `text` to a `List<schema>` parameter (role lists of the mapping and composite resources):
 * an array of objects, or a lone object taken as a one-element list (ACCEPT_SINGLE_VALUE_AS_ARRAY).
 * Returns the elements (null for a JSON null body).
 */
export function bindJsonList(text: string, schema: TypeSchema): unknown[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ERRORS.badJson();
  }
  if (value === null) return null;
  new Scanner(text).bindRootList(schema);
  return Array.isArray(value) ? value : [value];
}

/** Walks the (already valid) JSON text with positions, checking each field against its schema. */
class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  bindRoot(schema: TypeSchema): void {
    this.skipWs();
    if (this.text[this.i] !== '{') throw wrongType();
    this.object(schema);
  }

  bindRootList(schema: TypeSchema): void {
    this.skipWs();
    const c = this.text[this.i];
    if (c === '[') return this.array(() => this.value({ object: schema }));
    if (c !== '{') throw wrongType();
    this.object(schema);
  }

  private object(schema: TypeSchema): void {
    this.i++; // {
    this.skipWs();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.skipWs();
      const name = this.string();
      this.skipWs();
      this.i++; // :
      this.skipWs();
      const kind = schema.fields[name];
      if (kind === undefined) {
        this.consumeFirstToken();
        throw new AdminError(400, { error: `Invalid json representation for ${schema.name}. Unrecognized field "${name}" at line ${this.line} column ${this.i - this.lineStart + 1}.` });
      }
      this.value(kind);
      this.skipWs();
      if (this.text[this.i++] === '}') return;
    }
  }

  private value(kind: FieldKind): void {
    const c = this.text[this.i];
    if (c === 'n') return void (this.i += 4); // null binds to every field
    if (kind === 'any') return this.skipValue();
    if (typeof kind === 'object') {
      if ('list' in kind) {
        if (c !== '[') throw wrongType();
        // Each element as an object field of that type: null or an object.
        return this.array(() => this.value({ object: kind.list }));
      }
      if (c !== '{') throw wrongType();
      return this.object(kind.object);
    }
    switch (kind) {
      case 'string':
        // Jackson turns scalars into strings for String properties.
        if (c === '{' || c === '[') throw wrongType();
        return this.skipValue();
      case 'boolean':
        if (c === 't' || c === 'f') return this.skipValue();
        if (c === '"') {
          const s = this.string();
          if (s !== 'true' && s !== 'false') throw wrongType();
          return;
        }
        throw wrongType();
      case 'number':
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.skipValue();
        throw wrongType();
      case 'strings':
        // A lone scalar is taken as a one-element list (ACCEPT_SINGLE_VALUE_AS_ARRAY).
        if (c === '[') return this.array(() => this.value('string'));
        return this.value('string');
      case 'attributes':
        if (c !== '{') throw wrongType();
        return this.map(() => this.value('strings'));
      case 'stringMap':
        // Map<String, String>: each value a scalar, coerced to a string.
        if (c !== '{') throw wrongType();
        return this.map(() => this.value('string'));
    }
  }

  private array(element: () => void): void {
    this.i++; // [
    this.skipWs();
    if (this.text[this.i] === ']') return void this.i++;
    for (;;) {
      this.skipWs();
      element();
      this.skipWs();
      if (this.text[this.i++] === ']') return;
    }
  }

  private map(value: () => void): void {
    this.i++; // {
    this.skipWs();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.skipWs();
      this.string();
      this.skipWs();
      this.i++; // :
      this.skipWs();
      value();
      this.skipWs();
      if (this.text[this.i++] === '}') return;
    }
  }

  /** Jackson reads a value's first token together with the field name: a whole literal or number, or one bracket or quote. */
  private consumeFirstToken(): void {
    const c = this.text[this.i];
    if (c === '"' || c === '{' || c === '[') return void this.i++;
    while (this.i < this.text.length && /[^\s,}\]]/.test(this.text[this.i]!)) this.i++;
  }

  private skipValue(): void {
    const c = this.text[this.i];
    if (c === '"') return void this.string();
    if (c === '{') return this.map(() => this.skipValue());
    if (c === '[') return this.array(() => this.skipValue());
    while (this.i < this.text.length && /[^\s,}\]]/.test(this.text[this.i]!)) this.i++;
  }

  private string(): string {
    const start = this.i;
    this.i++; // opening quote
    while (this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private skipWs(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) {
      if (this.text[this.i] === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      }
      this.i++;
    }
  }
}

/** Keycloak 26's CredentialRepresentation. */
export const CREDENTIAL_REPRESENTATION: TypeSchema = {
  name: 'CredentialRepresentation',
  fields: {
    id: 'string', type: 'string', userLabel: 'string', createdDate: 'number', secretData: 'string', credentialData: 'string', priority: 'number',
    value: 'string', temporary: 'boolean', device: 'string', hashedSaltedValue: 'string', salt: 'string', hashIterations: 'number', counter: 'number',
    algorithm: 'string', digits: 'number', period: 'number', config: 'any', federationLink: 'string',
  },
};

/** Keycloak 26's UserRepresentation. */
export const USER_REPRESENTATION: TypeSchema = {
  name: 'UserRepresentation',
  fields: {
    id: 'string', origin: 'string', createdTimestamp: 'number', username: 'string', enabled: 'boolean', totp: 'boolean', emailVerified: 'boolean',
    firstName: 'string', lastName: 'string', email: 'string', federationLink: 'string', serviceAccountClientId: 'string', attributes: 'attributes',
    credentials: { list: CREDENTIAL_REPRESENTATION }, disableableCredentialTypes: 'strings', requiredActions: 'strings', federatedIdentities: 'any',
    realmRoles: 'strings', clientRoles: 'any', clientConsents: 'any', notBefore: 'number', applicationRoles: 'any', socialLinks: 'any', groups: 'strings',
    access: 'any', self: 'string', userProfileMetadata: 'any',
  },
};

/** Keycloak 26's RoleRepresentation (with its Composites). */
export const ROLE_REPRESENTATION: TypeSchema = {
  name: 'RoleRepresentation',
  fields: {
    id: 'string', name: 'string', description: 'string', scopeParamRequired: 'boolean', composite: 'boolean',
    composites: { object: { name: 'Composites', fields: { realm: 'strings', client: 'any', application: 'any' } } },
    clientRole: 'boolean', containerId: 'string', attributes: 'attributes',
  },
};

/** Keycloak 26's ClientRepresentation. */
export const CLIENT_REPRESENTATION: TypeSchema = {
  name: 'ClientRepresentation',
  fields: {
    id: 'string', clientId: 'string', name: 'string', description: 'string', type: 'string', rootUrl: 'string', adminUrl: 'string', baseUrl: 'string',
    surrogateAuthRequired: 'boolean', enabled: 'boolean', alwaysDisplayInConsole: 'boolean', clientAuthenticatorType: 'string', secret: 'string',
    registrationAccessToken: 'string', defaultRoles: 'strings', redirectUris: 'strings', webOrigins: 'strings', notBefore: 'number', bearerOnly: 'boolean',
    consentRequired: 'boolean', standardFlowEnabled: 'boolean', implicitFlowEnabled: 'boolean', directAccessGrantsEnabled: 'boolean',
    serviceAccountsEnabled: 'boolean', authorizationServicesEnabled: 'boolean', directGrantsOnly: 'boolean', publicClient: 'boolean',
    frontchannelLogout: 'boolean', protocol: 'string', attributes: 'stringMap', authenticationFlowBindingOverrides: 'stringMap', fullScopeAllowed: 'boolean',
    nodeReRegistrationTimeout: 'number', registeredNodes: 'any', protocolMappers: 'any', clientTemplate: 'string', useTemplateConfig: 'boolean',
    useTemplateScope: 'boolean', useTemplateMappers: 'boolean', defaultClientScopes: 'strings', optionalClientScopes: 'strings', authorizationSettings: 'any',
    access: 'any', origin: 'string',
  },
};
