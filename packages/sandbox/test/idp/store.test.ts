// The IdpStore contract: the memory store, Postgres 15 and PGlite must be indistinguishable to the
// IdP. Every case runs against all three; each case uses its own realm and ids, so one store per
// backend serves the whole file.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { createPool } from '../../src/db/pool.ts';
import { createMemoryStore } from '../../src/idp/store/memory.ts';
import { createPostgresStore } from '../../src/idp/store/postgres.ts';
import { DuplicateUserError, type IdpStore, type StoredUser } from '../../src/idp/store/types.ts';
import type { StoredRealmKeys } from '../../src/idp/keys.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { testUser } from '../support/users.ts';

const pg15 = useTestPostgres();
let pglite: EmbeddedPostgres | undefined;

afterAll(async () => {
  await pglite?.close();
});

interface Backend {
  name: string;
  open(): Promise<IdpStore>;
}

const backends: Backend[] = [
  { name: 'memory', open: async () => createMemoryStore() },
  { name: 'postgres 15', open: async () => createPostgresStore(await pg15.createDatabase()) },
  {
    name: 'pglite',
    open: async () => {
      pglite = await startEmbeddedPostgres();
      return createPostgresStore(pglite.url);
    },
  },
];

let realmCount = 0;
const newRealm = () => `realm-${++realmCount}-${randomUUID().slice(0, 8)}`;

function user(realm: string, username: string, extra: Partial<StoredUser> = {}): StoredUser {
  return testUser({ realm, username, realmRoles: ['default-roles-test'], ...extra });
}

const keys = (tag: string): StoredRealmKeys => ({
  sig: { privateJwk: { kty: 'RSA', n: `sig-${tag}`, e: 'AQAB' }, cert: `cert-sig-${tag}` },
  enc: { privateJwk: { kty: 'RSA', n: `enc-${tag}`, e: 'AQAB' }, cert: `cert-enc-${tag}` },
  refreshSecret: `secret-${tag}`,
});

describe.each(backends)('IdpStore contract: $name', (backend) => {
  let store: IdpStore;
  beforeAll(async () => {
    store = await backend.open();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('users', () => {
    it('finds a created user by id, by username and by email, ignoring case', async () => {
      const realm = newRealm();
      const alice = user(realm, 'alice', { email: 'Alice@Example.com', firstName: 'Alice', attributes: { team: ['a', 'b'] }, clientRoles: { app: ['x'] } });
      await store.createUser(alice);

      expect(await store.getUser(realm, alice.id)).toEqual(alice);
      expect(await store.findUserByUsername(realm, 'ALICE')).toEqual(alice);
      expect(await store.findUserByEmail(realm, 'alice@example.COM')).toEqual(alice);
    });

    it.each([
      ['another realm', (s: IdpStore, u: StoredUser) => s.getUser('no-such-realm', u.id)],
      ['an unknown id', (s: IdpStore, u: StoredUser) => s.getUser(u.realm, randomUUID())],
      ['an unknown username', (s: IdpStore, u: StoredUser) => s.findUserByUsername(u.realm, 'nobody')],
      ['an unknown email', (s: IdpStore, u: StoredUser) => s.findUserByEmail(u.realm, 'nobody@example.com')],
      ['the username in another realm', (s: IdpStore, u: StoredUser) => s.findUserByUsername('no-such-realm', u.username)],
    ])('finds nothing for %s', async (_, lookup) => {
      const u = user(newRealm(), 'carol', { email: 'carol@example.com' });
      await store.createUser(u);
      expect(await lookup(store, u)).toBeUndefined();
    });

    // [case, existing user, new user, field reported or undefined when allowed]
    const clashes: [string, Partial<StoredUser> & { username: string }, Partial<StoredUser> & { username: string }, 'username' | 'email' | undefined][] = [
      ['same username, other case', { username: 'dave' }, { username: 'DAVE' }, 'username'],
      ['same email, other case', { username: 'erin', email: 'erin@example.com' }, { username: 'erin2', email: 'ERIN@Example.com' }, 'email'],
      ['both clash: username wins', { username: 'fay', email: 'fay@example.com' }, { username: 'fay', email: 'fay@example.com' }, 'username'],
      ['different username and email', { username: 'gus', email: 'gus@example.com' }, { username: 'hal', email: 'hal@example.com' }, undefined],
      ['both without email', { username: 'ida' }, { username: 'jon' }, undefined],
      ['both with an empty email', { username: 'kim', email: '' }, { username: 'lea', email: '' }, undefined],
    ];
    it.each(clashes)('createUser with %s', async (_, a, b, field) => {
      const realm = newRealm();
      await store.createUser(user(realm, a.username, a));
      const attempt = store.createUser(user(realm, b.username, b));
      if (field) {
        await expect(attempt).rejects.toBeInstanceOf(DuplicateUserError);
        await expect(attempt).rejects.toMatchObject({ field });
        expect(await store.listUsers(realm)).toHaveLength(1);
      } else {
        await expect(attempt).resolves.toBeUndefined();
        expect(await store.listUsers(realm)).toHaveLength(2);
      }
    });

    it('allows the same username and email in another realm', async () => {
      await store.createUser(user(newRealm(), 'mia', { email: 'mia@example.com' }));
      await expect(store.createUser(user(newRealm(), 'mia', { email: 'mia@example.com' }))).resolves.toBeUndefined();
    });

    it.each([
      ['keeps its own username and email', { username: 'nia', email: 'nia@example.com', firstName: 'Nia' }, undefined],
      ["takes another user's username", { username: 'OMAR' }, 'username'],
      ["takes another user's email", { email: 'Omar@example.com' }, 'email'],
    ] as const)('updateUser that %s', async (_, change, field) => {
      const realm = newRealm();
      const nia = user(realm, 'nia', { email: 'nia@example.com' });
      await store.createUser(nia);
      await store.createUser(user(realm, 'omar', { email: 'omar@example.com' }));
      const attempt = store.updateUser({ ...nia, ...change });
      if (field) {
        await expect(attempt).rejects.toMatchObject({ field });
        expect(await store.getUser(realm, nia.id)).toEqual(nia);
      } else {
        await attempt;
        expect(await store.getUser(realm, nia.id)).toEqual({ ...nia, ...change });
      }
    });

    it('updateUser replaces the user whole, keeping its place in the list', async () => {
      const realm = newRealm();
      const [a, b] = [user(realm, 'pat', { attributes: { x: ['1'] }, requiredActions: ['VERIFY_EMAIL'] }), user(realm, 'quinn')];
      await store.createUser(a);
      await store.createUser(b);
      const changed: StoredUser = { ...a, attributes: {}, requiredActions: [], enabled: false, realmRoles: ['admin'] };
      await store.updateUser(changed);
      expect(await store.listUsers(realm)).toEqual([changed, b]);
    });

    it('lists only the realm, oldest first', async () => {
      const realm = newRealm();
      const names = ['zed', 'amy', 'mo', 'bo'];
      for (const n of names) await store.createUser(user(realm, n, { createdTimestamp: 1 }));
      await store.createUser(user(newRealm(), 'other'));
      expect((await store.listUsers(realm)).map((u) => u.username)).toEqual(names);
      expect(await store.listUsers(newRealm())).toEqual([]);
    });

    it('hands out copies: changing a returned user changes nothing stored', async () => {
      const realm = newRealm();
      const u = user(realm, 'rae', { attributes: { a: ['1'] } });
      await store.createUser(u);
      const got = (await store.getUser(realm, u.id))!;
      got.attributes.a!.push('2');
      got.enabled = false;
      u.realmRoles.push('mutated-after-create');
      expect(await store.getUser(realm, u.id)).toEqual({ ...u, realmRoles: ['default-roles-test'] });
    });

    it('deletes a user with its password; a second delete or another realm finds nothing', async () => {
      const realm = newRealm();
      const u = user(realm, 'sam');
      await store.createUser(u);
      await store.setPassword({ id: randomUUID(), userId: u.id, type: 'password', createdDate: 1, hash: '$argon2id$x' });

      expect(await store.deleteUser('no-such-realm', u.id)).toBe(false);
      expect(await store.deleteUser(realm, u.id)).toBe(true);
      expect(await store.deleteUser(realm, u.id)).toBe(false);
      expect(await store.getUser(realm, u.id)).toBeUndefined();
      expect(await store.getPassword(u.id)).toBeUndefined();
      // The name is free again.
      await expect(store.createUser(user(realm, 'sam'))).resolves.toBeUndefined();
    });
  });

  describe('passwords', () => {
    it('keeps one password credential per user, the last one set', async () => {
      const u = user(newRealm(), 'tia');
      await store.createUser(u);
      expect(await store.getPassword(u.id)).toBeUndefined();

      const first = { id: randomUUID(), userId: u.id, type: 'password' as const, createdDate: 1_700_000_000_000, hash: '$argon2id$first' };
      const second = { ...first, id: randomUUID(), createdDate: 1_700_000_000_001, hash: '$argon2id$second' };
      await store.setPassword(first);
      expect(await store.getPassword(u.id)).toEqual(first);
      await store.setPassword(second);
      expect(await store.getPassword(u.id)).toEqual(second);
    });
  });

  describe('realm keys', () => {
    it('are undefined until added; the first keys added stay, a later add gets them back', async () => {
      const realm = newRealm();
      expect(await store.getRealmKeys(realm)).toBeUndefined();
      expect(await store.addRealmKeys(realm, keys('one'))).toEqual(keys('one'));
      expect(await store.getRealmKeys(realm)).toEqual(keys('one'));
      expect(await store.addRealmKeys(realm, keys('two'))).toEqual(keys('one'));
      expect(await store.getRealmKeys(realm)).toEqual(keys('one'));
      expect(await store.getRealmKeys(newRealm())).toBeUndefined();
    });
  });

  describe('oidc records', () => {
    const ids = () => ({ id: randomUUID(), uid: randomUUID(), grantId: randomUUID(), accountId: randomUUID() });

    it('finds a record by id, by uid and by user code, within its model only', async () => {
      const { id, uid, grantId, accountId } = ids();
      const payload = { uid, grantId, accountId, userCode: `UC-${uid}`, kind: 'Interaction', nested: { a: [1, 2] } };
      await store.oidc.upsert('Interaction', id, payload, 600);

      expect(await store.oidc.find('Interaction', id)).toEqual(payload);
      expect(await store.oidc.findByUid('Interaction', uid)).toEqual(payload);
      expect(await store.oidc.findByUserCode('Interaction', `UC-${uid}`)).toEqual(payload);
      expect(await store.oidc.find('Session', id)).toBeUndefined();
      expect(await store.oidc.findByUid('Session', uid)).toBeUndefined();
      expect(await store.oidc.findByUserCode('Session', `UC-${uid}`)).toBeUndefined();
      expect(await store.oidc.find('Interaction', randomUUID())).toBeUndefined();
    });

    it('replaces the payload and lifetime on a second upsert', async () => {
      const { id, uid } = ids();
      await store.oidc.upsert('Session', id, { uid, v: 1 }, 1);
      await store.oidc.upsert('Session', id, { uid, v: 2 }, 600);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 5_000);
      expect(await store.oidc.find('Session', id)).toEqual({ uid, v: 2 });
    });

    // [lifetime in seconds, seconds later, still found]
    const lifetimes: [number | undefined, number, boolean][] = [
      [60, 59, true],
      [60, 61, false],
      [undefined, 10 * 365 * 86_400, true],
      [0, 10 * 365 * 86_400, true],
    ];
    it.each(lifetimes)('a record with lifetime %s s, %s s later: found = %s', async (lifetime, later, found) => {
      const { id, uid, grantId, accountId } = ids();
      const payload = { uid, grantId, accountId, userCode: `UC-${uid}` };
      await store.oidc.upsert('AccessToken', id, payload, lifetime);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + later * 1000);

      const expected = found ? payload : undefined;
      expect(await store.oidc.find('AccessToken', id)).toEqual(expected);
      expect(await store.oidc.findByUid('AccessToken', uid)).toEqual(expected);
      expect(await store.oidc.findByUserCode('AccessToken', `UC-${uid}`)).toEqual(expected);
      expect(await store.oidc.listByAccount('AccessToken', accountId)).toEqual(found ? [{ id, payload }] : []);
    });

    it('consume marks a live record with the time in seconds and keeps the rest', async () => {
      const { id, grantId } = ids();
      await store.oidc.upsert('AuthorizationCode', id, { grantId, scope: 'openid' }, 60);
      const before = Math.floor(Date.now() / 1000);
      await store.oidc.consume('AuthorizationCode', id);
      const got = await store.oidc.find('AuthorizationCode', id);
      expect(got).toMatchObject({ grantId, scope: 'openid' });
      expect(got?.consumed).toBeGreaterThanOrEqual(before);
      expect(got?.consumed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect(Number.isInteger(got?.consumed)).toBe(true);
    });

    it('consume of an unknown or expired record is a no-op', async () => {
      const { id } = ids();
      await expect(store.oidc.consume('AuthorizationCode', randomUUID())).resolves.toBeUndefined();
      await store.oidc.upsert('AuthorizationCode', id, { scope: 'openid' }, 60);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 120_000);
      await expect(store.oidc.consume('AuthorizationCode', id)).resolves.toBeUndefined();
      expect(await store.oidc.find('AuthorizationCode', id)).toBeUndefined();
    });

    it('destroy removes one record', async () => {
      const [a, b] = [ids(), ids()];
      await store.oidc.upsert('Session', a.id, { uid: a.uid }, 60);
      await store.oidc.upsert('Session', b.id, { uid: b.uid }, 60);
      await store.oidc.destroy('Session', a.id);
      await store.oidc.destroy('Session', randomUUID());
      expect(await store.oidc.find('Session', a.id)).toBeUndefined();
      expect(await store.oidc.find('Session', b.id)).toEqual({ uid: b.uid });
    });

    it("revokeByGrantId removes every model's records of that grant and nothing else", async () => {
      const grantId = randomUUID();
      const other = randomUUID();
      const records = [
        ['Grant', grantId, { grantId }],
        ['AccessToken', randomUUID(), { grantId }],
        ['RefreshToken', randomUUID(), { grantId }],
        ['AuthorizationCode', randomUUID(), { grantId }],
        ['AccessToken', randomUUID(), { grantId: other }],
        ['Session', randomUUID(), { accountId: 'x' }],
      ] as const;
      for (const [model, id, payload] of records) await store.oidc.upsert(model, id, { ...payload }, 60);

      await store.oidc.revokeByGrantId(grantId);

      const left = await Promise.all(records.map(([model, id]) => store.oidc.find(model, id)));
      expect(left.map((p) => p !== undefined)).toEqual([false, false, false, false, true, true]);
    });

    it('listByAccount gives the live records of one model and account, in the order first saved', async () => {
      const accountId = randomUUID();
      const s1 = randomUUID();
      const s2 = randomUUID();
      await store.oidc.upsert('Session', s1, { accountId, n: 1 }, 60);
      await store.oidc.upsert('Session', s2, { accountId, n: 2 }, 600);
      await store.oidc.upsert('Session', randomUUID(), { accountId: randomUUID() }, 60);
      await store.oidc.upsert('Grant', randomUUID(), { accountId }, 60);
      // Saving again keeps a record's place.
      await store.oidc.upsert('Session', s1, { accountId, n: 3 }, 60);

      expect(await store.oidc.listByAccount('Session', accountId)).toEqual([
        { id: s1, payload: { accountId, n: 3 } },
        { id: s2, payload: { accountId, n: 2 } },
      ]);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 120_000);
      expect(await store.oidc.listByAccount('Session', accountId)).toEqual([{ id: s2, payload: { accountId, n: 2 } }]);
      expect(await store.oidc.listByAccount('Session', randomUUID())).toEqual([]);
    });
  });
});

describe('postgres store', () => {
  const count = async (url: string, sql: string) => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('migrates once when two processes start on a fresh database at the same time', async () => {
    const url = await pg15.createDatabase();
    const stores = await Promise.all([createPostgresStore(url), createPostgresStore(url), createPostgresStore(url)]);
    const realm = newRealm();
    await stores[0]!.createUser(user(realm, 'uma'));
    await expect(stores[1]!.createUser(user(realm, 'UMA'))).rejects.toMatchObject({ field: 'username' });
    await Promise.all(stores.map((s) => s.close()));

    expect(await count(url, 'SELECT name FROM idp.pgmigrations')).toEqual([{ name: '0001_idp-init' }]);
    // Reopening finds nothing to do and keeps the data.
    const again = await createPostgresStore(url);
    expect(await again.findUserByUsername(realm, 'uma')).toMatchObject({ username: 'uma' });
    await again.close();
  });

  it('indexes every lookup the IdP makes', async () => {
    const url = await pg15.createDatabase();
    await (await createPostgresStore(url)).close();
    const rows = await count(url, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'idp' ORDER BY indexname");
    const defs = rows.map((r: { indexdef: string }) => r.indexdef.replace(/^.* USING btree /, '')).join('\n');
    for (const expected of ['(realm, lower(username))', '(realm, lower(email))', '(model, uid)', '(model, user_code)', '(grant_id)', '(model, account_id, seq)', '(model, id)']) {
      expect(defs).toContain(expected);
    }
  });

  it("does not end a pool it was given, and ends the one it made", async () => {
    const pool = createPool(await pg15.createDatabase(), { single: true });
    const store = await createPostgresStore(pool);
    await store.close();
    expect((await pool.query('SELECT count(*)::int AS n FROM idp.users')).rows).toEqual([{ n: 0 }]);
    await pool.end();
  });

  it('reports an unreachable database as an error, without leaving a pool open', async () => {
    await expect(createPostgresStore('postgres://postgres@127.0.0.1:1/postgres')).rejects.toThrow();
  });
});
