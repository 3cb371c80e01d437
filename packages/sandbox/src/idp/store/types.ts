import type { StoredRealmKeys } from '../keys.ts';

// What the IdP keeps: users, their password credentials, and oidc-provider's own records (sessions,
// codes, grants, tokens). Two implementations: memory (default) and Postgres (schema `idp`), so a
// sandbox restarted on a persistent database keeps its users and sessions.

export interface StoredUser {
  id: string;
  realm: string;
  /** Always lower case, as Keycloak stores it. */
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  emailVerified: boolean;
  attributes: Record<string, string[]>;
  requiredActions: string[];
  createdTimestamp: number;
  notBefore: number;
  realmRoles: string[];
  /** clientId -> role names */
  clientRoles: Record<string, string[]>;
  serviceAccountClientId?: string;
}

export interface StoredCredential {
  id: string;
  userId: string;
  type: 'password';
  createdDate: number;
  /** PHC string of the argon2 hash; never leaves the IdP. */
  hash: string;
}

/** oidc-provider model payloads (Session, AuthorizationCode, RefreshToken, Grant, Interaction, ...). */
export interface OidcPayload {
  [key: string]: unknown;
  accountId?: string;
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
}

export interface OidcRecordStore {
  upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number | undefined): Promise<void>;
  find(model: string, id: string): Promise<OidcPayload | undefined>;
  findByUid(model: string, uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined>;
  consume(model: string, id: string): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
  /** All live (unexpired) records of a model for an account: sessions and grants of a user. */
  listByAccount(model: string, accountId: string): Promise<{ id: string; payload: OidcPayload }[]>;
}

export class DuplicateUserError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`duplicate ${field}`);
  }
}

export interface IdpStore {
  readonly kind: 'memory' | 'postgres';
  /** Throws DuplicateUserError when username or email (case-insensitive) is taken in the realm. */
  createUser(user: StoredUser): Promise<void>;
  /** Replaces the stored user; throws DuplicateUserError on a username/email clash with another user. */
  updateUser(user: StoredUser): Promise<void>;
  getUser(realm: string, id: string): Promise<StoredUser | undefined>;
  findUserByUsername(realm: string, username: string): Promise<StoredUser | undefined>;
  findUserByEmail(realm: string, email: string): Promise<StoredUser | undefined>;
  /** Every user of the realm, oldest first; filtering and paging happen in the admin layer. */
  listUsers(realm: string): Promise<StoredUser[]>;
  /** Deletes the user with its credentials; false when there was no such user. */
  deleteUser(realm: string, id: string): Promise<boolean>;

  getPassword(userId: string): Promise<StoredCredential | undefined>;
  /** Replaces the user's password credential. */
  setPassword(credential: StoredCredential): Promise<void>;

  /** Realm key material (see keys.ts); undefined until first saved. */
  getRealmKeys(realm: string): Promise<StoredRealmKeys | undefined>;
  /** Stores the keys unless the realm already has some; returns the realm's keys either way. */
  addRealmKeys(realm: string, keys: StoredRealmKeys): Promise<StoredRealmKeys>;

  oidc: OidcRecordStore;
  close(): Promise<void>;
}
