// Reads UserRepresentation and CredentialRepresentation bodies once json-binding.ts has held them
// to Keycloak's types: scalars coerced as Jackson coerces them, a lone attribute value taken as a
// one-element list, and a `null` user body failing as Keycloak's null pointer does (500).
import type { CredentialInput, UserInput } from '../users.ts';
import { ERRORS } from './respond.ts';
import type { AdminRequest } from './request.ts';

type Obj = Record<string, unknown>;

/** The route declares `body: { object: USER_REPRESENTATION }`. */
export async function readUserInput(r: AdminRequest): Promise<UserInput> {
  const raw = (await r.body()) as Obj | null;
  // Keycloak's UsersResource.createUser dereferences the representation unchecked: a `null` body is
  // its NullPointerException, 500 (keycloak-reference/admin/users/create-null-body.http), the one
  // 500 the sandbox keeps because a recording pins it. Elsewhere a `null` representation is refused
  // as a body that does not bind (400), never a 500.
  if (raw === null) throw r.req.method === 'POST' ? ERRORS.serverError() : ERRORS.badType();
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
    credentials: Array.isArray(raw.credentials) ? raw.credentials.filter((c): c is Obj => c !== null).map(credential) : undefined,
  };
}

/** A reset-password body; an empty or `null` one is a credential without a value. */
export async function readCredentialInput(r: AdminRequest): Promise<CredentialInput> {
  const raw = (await r.body()) as Obj | null;
  return raw === null ? {} : credential(raw);
}

function credential(raw: Obj): CredentialInput {
  return { type: str(raw.type), value: str(raw.value), temporary: bool(raw.temporary) };
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function bool(v: unknown): boolean | undefined {
  return v === undefined || v === null ? undefined : v === true || v === 'true';
}

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => str(x) ?? '');
}

function attributes(v: unknown): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  return Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, x === null ? [] : strings(x)!]));
}
