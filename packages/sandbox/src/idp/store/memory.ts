import type { StoredRealmKeys } from '../keys.ts';
import type { IdpStore, OidcPayload, OidcRecordStore, StoredCredential, StoredUser } from './types.ts';
import { DuplicateUserError } from './types.ts';

const clone = <T>(v: T): T => structuredClone(v);

export function createMemoryStore(): IdpStore {
  const users = new Map<string, StoredUser>();
  const passwords = new Map<string, StoredCredential>();
  const realmKeys = new Map<string, StoredRealmKeys>();

  const clash = (u: StoredUser) => {
    for (const other of users.values()) {
      if (other.realm !== u.realm || other.id === u.id) continue;
      if (other.username === u.username.toLowerCase()) throw new DuplicateUserError('username');
      if (u.email && other.email?.toLowerCase() === u.email.toLowerCase()) throw new DuplicateUserError('email');
    }
  };

  return {
    kind: 'memory',
    async createUser(u) {
      clash(u);
      users.set(u.id, clone(u));
    },
    async updateUser(u) {
      clash(u);
      users.set(u.id, clone(u));
    },
    async getUser(realm, id) {
      const u = users.get(id);
      return u && u.realm === realm ? clone(u) : undefined;
    },
    async findUserByUsername(realm, username) {
      const n = username.toLowerCase();
      for (const u of users.values()) if (u.realm === realm && u.username === n) return clone(u);
      return undefined;
    },
    async findUserByEmail(realm, email) {
      const n = email.toLowerCase();
      for (const u of users.values()) if (u.realm === realm && u.email?.toLowerCase() === n) return clone(u);
      return undefined;
    },
    async listUsers(realm) {
      return [...users.values()].filter((u) => u.realm === realm).map(clone);
    },
    async deleteUser(realm, id) {
      const u = users.get(id);
      if (!u || u.realm !== realm) return false;
      users.delete(id);
      passwords.delete(id);
      return true;
    },
    async getPassword(userId) {
      const c = passwords.get(userId);
      return c && clone(c);
    },
    async setPassword(c) {
      passwords.set(c.userId, clone(c));
    },
    async getRealmKeys(realm) {
      return realmKeys.get(realm);
    },
    async addRealmKeys(realm, keys) {
      if (!realmKeys.has(realm)) realmKeys.set(realm, keys);
      return realmKeys.get(realm)!;
    },
    oidc: createMemoryOidcStore(),
    async close() {},
  };
}

function createMemoryOidcStore(): OidcRecordStore {
  const records = new Map<string, { payload: OidcPayload; expiresAt?: number }>();
  const key = (model: string, id: string) => `${model}:${id}`;
  const live = (model: string, id: string) => {
    const r = records.get(key(model, id));
    if (!r) return undefined;
    if (r.expiresAt !== undefined && r.expiresAt <= Date.now()) {
      records.delete(key(model, id));
      return undefined;
    }
    return r;
  };
  const scan = (model: string, pred: (p: OidcPayload) => boolean) => {
    const out: { id: string; payload: OidcPayload }[] = [];
    for (const [k, r] of records) {
      if (!k.startsWith(`${model}:`)) continue;
      const id = k.slice(model.length + 1);
      if (live(model, id) && pred(r.payload)) out.push({ id, payload: clone(r.payload) });
    }
    return out;
  };
  return {
    async upsert(model, id, payload, expiresIn) {
      records.set(key(model, id), { payload: clone(payload), expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    },
    async find(model, id) {
      const r = live(model, id);
      return r && clone(r.payload);
    },
    async findByUid(model, uid) {
      return scan(model, (p) => p.uid === uid)[0]?.payload;
    },
    async findByUserCode(model, userCode) {
      return scan(model, (p) => p.userCode === userCode)[0]?.payload;
    },
    async consume(model, id) {
      const r = live(model, id);
      if (r) r.payload.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(model, id) {
      records.delete(key(model, id));
    },
    async revokeByGrantId(grantId) {
      for (const [k, r] of records) if (r.payload.grantId === grantId) records.delete(k);
    },
    async listByAccount(model, accountId) {
      return scan(model, (p) => p.accountId === accountId);
    },
  };
}
