// Reads a UserRepresentation body the way Keycloak's JSON binding does: unknown properties are
// ignored, a value of the wrong type is "Cannot parse the JSON", a lone attribute value is taken
// as a one-element list.
import type { CredentialInput, UserInput } from '../users.ts';
import { ERRORS } from './respond.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseUserInput(raw: unknown): UserInput {
  if (!isObj(raw)) throw ERRORS.badJson();
  return {
    id: str(raw.id),
    username: str(raw.username),
    email: str(raw.email),
    firstName: str(raw.firstName),
    lastName: str(raw.lastName),
    enabled: bool(raw.enabled),
    emailVerified: bool(raw.emailVerified),
    attributes: attributes(raw.attributes),
    requiredActions: strings(raw.requiredActions),
    credentials: raw.credentials === undefined || raw.credentials === null ? undefined : list(raw.credentials).map(parseCredentialInput),
  };
}

export function parseCredentialInput(raw: unknown): CredentialInput {
  if (!isObj(raw)) throw ERRORS.badJson();
  return { type: str(raw.type), value: str(raw.value), temporary: bool(raw.temporary) };
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  // Jackson turns scalars into strings for String properties.
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw ERRORS.badJson();
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw ERRORS.badJson();
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw ERRORS.badJson();
  return v;
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return list(v).map((x) => str(x) ?? '');
}

function attributes(v: unknown): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw ERRORS.badJson();
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? x.map((y) => str(y) ?? '') : x === null ? [] : [str(x)!]]));
}
