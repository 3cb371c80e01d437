// User rules shared by the admin API and the login flow: Keycloak's UserRepresentation for a stored
// user, the declarative user profile's attribute filtering, and the create/update/password rules
// with the exact error bodies Keycloak 26 answers. Results are values, not exceptions, so each
// caller decides how to answer (JSON for the admin API, a form message for the login pages).
import { randomUUID } from 'node:crypto';
import type { Realm } from './realm/model.ts';
import type { RealmRuntime } from './context.ts';
import type { PolicyViolation } from './realm/password-policy.ts';
import { DuplicateUserError, type IdpStore, type StoredUser } from './store/types.ts';
import { makePasswordCredential } from './passwords.ts';

/** Required actions Keycloak 26 registers by default; others in a representation are ignored, as there. */
export const KNOWN_REQUIRED_ACTIONS = new Set([
  'CONFIGURE_TOTP',
  'TERMS_AND_CONDITIONS',
  'UPDATE_PASSWORD',
  'UPDATE_PROFILE',
  'VERIFY_EMAIL',
  'delete_account',
  'webauthn-register',
  'webauthn-register-passwordless',
  'VERIFY_PROFILE',
  'delete_credential',
  'update_user_locale',
  'UPDATE_EMAIL',
  'CONFIGURE_RECOVERY_AUTHN_CODES',
  'idp_link',
]);

const BUILT_IN = new Set(['username', 'email', 'firstName', 'lastName']);

/** The admin-facing `access` map; Keycloak adds it to every user it returns. */
export type UserAccess = Record<string, boolean>;

export interface CredentialInput {
  type?: string;
  value?: string;
  temporary?: boolean;
}

/** The writable part of Keycloak's UserRepresentation, as a caller sends it. */
export interface UserInput {
  id?: string;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  emailVerified?: boolean;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  credentials?: CredentialInput[];
}

/** A refusal with the status and JSON body Keycloak answers for it. */
export interface UserError {
  status: number;
  body: Record<string, unknown>;
}

export type UserResult<T> = { ok: true; value: T } | { ok: false; error: UserError };

const fail = (status: number, body: Record<string, unknown>): { ok: false; error: UserError } => ({ ok: false, error: { status, body } });

export const USER_ERRORS = {
  idExists: () => fail(409, { errorMessage: 'User with ID already exists' }),
  invalidId: () => fail(400, { errorMessage: 'Invalid user ID' }),
  usernameMissing: () => fail(400, { errorMessage: 'User name is missing' }),
  usernameExists: () => fail(409, { errorMessage: 'User exists with same username' }),
  emailExists: () => fail(409, { errorMessage: 'User exists with same email' }),
  noPassword: () => fail(400, { error: 'No password provided' }),
  // An inline credential without a value fails in Keycloak's credential provider; the transaction rolls back.
  couldNotCreate: () => fail(400, { errorMessage: 'Could not create user' }),
  couldNotUpdate: () => fail(400, { errorMessage: 'Could not update user!' }),
  policy: (v: PolicyViolation) => fail(400, { error: v.error, error_description: v.message }),
};

/**
 * Attributes an admin may see and write: those the realm's user profile declares, plus undeclared
 * ones only when unmanagedAttributePolicy lets admins keep them; Keycloak 26 drops the rest silently.
 */
export function profileAttributes(realm: Realm, attributes: Record<string, unknown>, mode: 'read' | 'write'): Record<string, string[]> {
  const policy = realm.userProfile.unmanagedAttributePolicy;
  const unmanagedOk = policy === 'ENABLED' || policy === 'ADMIN_EDIT' || (mode === 'read' && policy === 'ADMIN_VIEW');
  const out: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    if (BUILT_IN.has(name)) continue;
    if (!realm.userProfile.attributes.has(name) && !unmanagedOk) continue;
    // Keycloak keeps no empty values: an attribute set to [] or [""] is removed.
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== null && v !== undefined && v !== '').map(String);
    if (values.length) out[name] = values;
  }
  return out;
}

/** Keycloak's full UserRepresentation, keys in the order Keycloak writes them. */
export function toUserRepresentation(realm: Realm, user: StoredUser, access: UserAccess): Record<string, unknown> {
  const attributes = profileAttributes(realm, user.attributes, 'read');
  return dropUndefined({
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    emailVerified: user.emailVerified,
    attributes: Object.keys(attributes).length ? attributes : undefined,
    enabled: user.enabled,
    createdTimestamp: user.createdTimestamp,
    totp: false,
    serviceAccountClientId: user.serviceAccountClientId,
    disableableCredentialTypes: [],
    requiredActions: user.requiredActions,
    notBefore: user.notBefore,
    access,
  });
}

/** Keycloak's brief representation (briefRepresentation=true in user searches): attributes kept, no credentials or actions. */
export function toBriefUserRepresentation(realm: Realm, user: StoredUser, access: UserAccess): Record<string, unknown> {
  const attributes = profileAttributes(realm, user.attributes, 'read');
  return dropUndefined({
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    emailVerified: user.emailVerified,
    attributes: Object.keys(attributes).length ? attributes : undefined,
    enabled: user.enabled,
    createdTimestamp: user.createdTimestamp,
    access,
  });
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';
const normalise = (s: string | undefined): string | undefined => (blank(s) ? undefined : s!.trim());

/** Creates a user the way POST /admin/realms/{realm}/users does, credentials included. */
export async function createUser(store: IdpStore, rt: RealmRuntime, input: UserInput): Promise<UserResult<StoredUser>> {
  const { realm } = rt;
  // A caller may choose the id (imports do): it must be a free, canonical lower-case UUID.
  if (input.id !== undefined) {
    if (await store.getUser(realm.name, input.id)) return USER_ERRORS.idExists();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(input.id)) return USER_ERRORS.invalidId();
  }
  // Then Keycloak checks, in order: username present, username free, email free, then the profile and
  // the credential; a credential refused by the password policy rolls the whole creation back.
  if (blank(input.username)) return USER_ERRORS.usernameMissing();
  const username = input.username!.trim().toLowerCase();
  const email = normalise(input.email)?.toLowerCase();
  if (await store.findUserByUsername(realm.name, username)) return USER_ERRORS.usernameExists();
  if (email && (await store.findUserByEmail(realm.name, email))) return USER_ERRORS.emailExists();

  const password = inlinePassword(input.credentials);
  if (password === 'no-value') return USER_ERRORS.couldNotCreate();
  if (password) {
    const violation = rt.policy.check(password.value, username);
    if (violation) return USER_ERRORS.policy(violation);
  }
  const requiredActions = knownActions(input.requiredActions ?? []);
  if (password?.temporary && !requiredActions.includes('UPDATE_PASSWORD')) requiredActions.push('UPDATE_PASSWORD');
  const user: StoredUser = {
    id: input.id ?? randomUUID(),
    realm: realm.name,
    username,
    email,
    firstName: normalise(input.firstName),
    lastName: normalise(input.lastName),
    // An admin-created user without "enabled" is disabled in Keycloak.
    enabled: input.enabled ?? false,
    emailVerified: input.emailVerified ?? false,
    attributes: profileAttributes(realm, input.attributes ?? {}, 'write'),
    requiredActions,
    createdTimestamp: Date.now(),
    notBefore: 0,
    realmRoles: [realm.defaultRoleName],
    clientRoles: {},
  };
  const stored = await persist(() => store.createUser(user));
  if (!stored.ok) return stored;
  if (password) await store.setPassword(await makePasswordCredential(user.id, password.value));
  return { ok: true, value: user };
}

/**
 * Keycloak's inline credentials (RepresentationToModel.createCredentials): every credential with a
 * value sets the password, whatever its type or label say, the last one winning; any temporary one
 * adds UPDATE_PASSWORD; one without a value fails the whole request.
 */
function inlinePassword(credentials: CredentialInput[] | undefined): { value: string; temporary: boolean } | 'no-value' | undefined {
  if (!credentials?.length) return undefined;
  if (credentials.some((c) => c.value === undefined || c.value === '')) return 'no-value';
  return { value: credentials.at(-1)!.value!, temporary: credentials.some((c) => c.temporary === true) };
}

/**
 * Applies a PUT /users/{id} body: absent fields keep their value, a present `attributes` map
 * replaces the attributes, a present `requiredActions` list replaces the actions.
 */
export async function updateUser(store: IdpStore, rt: RealmRuntime, user: StoredUser, input: UserInput): Promise<UserResult<StoredUser>> {
  const next: StoredUser = { ...user };
  // Keycloak's realms default to editUsernameAllowed=false: a different username is ignored.
  if (input.email !== undefined) next.email = normalise(input.email)?.toLowerCase();
  if (input.firstName !== undefined) next.firstName = normalise(input.firstName);
  if (input.lastName !== undefined) next.lastName = normalise(input.lastName);
  if (input.enabled !== undefined) next.enabled = input.enabled;
  if (input.emailVerified !== undefined) next.emailVerified = input.emailVerified;
  if (input.requiredActions !== undefined) next.requiredActions = knownActions(input.requiredActions);
  if (input.attributes !== undefined) next.attributes = profileAttributes(rt.realm, input.attributes, 'write');
  if (next.email && next.email !== user.email) {
    const other = await store.findUserByEmail(rt.realm.name, next.email);
    if (other && other.id !== user.id) return USER_ERRORS.emailExists();
  }
  const password = inlinePassword(input.credentials);
  if (password === 'no-value') return USER_ERRORS.couldNotUpdate();
  if (password) {
    const violation = rt.policy.check(password.value, user.username);
    if (violation) return USER_ERRORS.policy(violation);
    if (password.temporary && !next.requiredActions.includes('UPDATE_PASSWORD')) next.requiredActions = [...next.requiredActions, 'UPDATE_PASSWORD'];
  }
  const stored = await persist(() => store.updateUser(next));
  if (stored.ok && password) await store.setPassword(await makePasswordCredential(user.id, password.value));
  return stored.ok ? { ok: true, value: next } : stored;
}

/**
 * Sets a user's password as reset-password does: the realm's password policy first (notUsername
 * against the user's username), then UPDATE_PASSWORD added for a temporary password and removed
 * for a permanent one. The login flow's UPDATE_PASSWORD form uses it with temporary=false.
 */
export async function setUserPassword(store: IdpStore, rt: RealmRuntime, user: StoredUser, value: string | undefined, temporary: boolean): Promise<UserResult<StoredUser>> {
  if (value === undefined || value === null || value === '') return USER_ERRORS.noPassword();
  const violation = rt.policy.check(value, user.username);
  if (violation) return USER_ERRORS.policy(violation);
  await store.setPassword(await makePasswordCredential(user.id, value));
  const others = user.requiredActions.filter((a) => a !== 'UPDATE_PASSWORD');
  const next = { ...user, requiredActions: temporary ? [...others, 'UPDATE_PASSWORD'] : others };
  if (next.requiredActions.length !== user.requiredActions.length || temporary) await store.updateUser(next);
  return { ok: true, value: next };
}

function knownActions(actions: string[]): string[] {
  return [...new Set(actions.filter((a) => KNOWN_REQUIRED_ACTIONS.has(a)))];
}

async function persist(write: () => Promise<void>): Promise<{ ok: true; value: undefined } | { ok: false; error: UserError }> {
  try {
    await write();
    return { ok: true, value: undefined };
  } catch (err) {
    // A concurrent create can still clash in the store after the checks above passed.
    if (err instanceof DuplicateUserError) return err.field === 'username' ? USER_ERRORS.usernameExists() : USER_ERRORS.emailExists();
    throw err;
  }
}
