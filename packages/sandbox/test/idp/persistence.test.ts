// A sandbox IdP restarted on the same database is the same IdP: its users, passwords and realm keys
// (so tokens issued before the restart still verify) are still there, and the realm file's seed
// users are not created twice.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import type { StoredUser } from '../../src/idp/store/types.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';

const realmFile = DEFAULT_REALM_FILE;
const REALM = 'sandbox';
const pg15 = useTestPostgres();

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Database {
  /** Open the database (again) and give its url. */
  open(): Promise<string>;
  /** Close it between the two IdP runs, when it is a thing that can be closed. */
  close(): Promise<void>;
}

const databases: { name: string; make: () => Promise<Database> }[] = [
  {
    name: 'postgres 15',
    make: async () => {
      const url = await pg15.createDatabase();
      return { open: async () => url, close: async () => {} };
    },
  },
  {
    // The whole sandbox restarted: PGlite reopened from its data directory, on a new port.
    name: 'pglite with a data directory',
    make: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'onramp-idp-'));
      tempDirs.push(dir);
      let db: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
      return {
        open: async () => (db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg') })).url,
        close: async () => db?.close(),
      };
    },
  },
];

const signingKid = (idp: RunningIdp) => idp.ctx.realms.get(REALM)?.keys.signingKid;
const publicKids = (idp: RunningIdp) => idp.ctx.realms.get(REALM)?.keys.publicJwks.keys.map((k) => k.kid);

describe.each(databases)('IdP restarted on $name', ({ make }) => {
  it('keeps users, passwords and realm keys, and seeds the realm file users once', async () => {
    const database = await make();
    const user: StoredUser = {
      id: randomUUID(),
      realm: REALM,
      username: `onramp-persist-${randomUUID().slice(0, 8)}`,
      email: `Persist-${randomUUID().slice(0, 8)}@example.com`,
      enabled: true,
      emailVerified: true,
      attributes: { tenant: ['t-1'] },
      requiredActions: [],
      createdTimestamp: Date.now(),
      notBefore: 0,
      realmRoles: ['default-roles-sandbox'],
      clientRoles: {},
    };
    const password = { id: randomUUID(), userId: user.id, type: 'password' as const, createdDate: Date.now(), hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' };

    let idp = await startIdp({ realmFile, database: await database.open() });
    let first: { kid?: string; kids?: string[]; users: StoredUser[] };
    try {
      expect(idp.ctx.store.kind).toBe('postgres');
      await idp.ctx.store.createUser(user);
      await idp.ctx.store.setPassword(password);
      first = { kid: signingKid(idp), kids: publicKids(idp), users: await idp.ctx.store.listUsers(REALM) };
    } finally {
      await idp.close();
      await database.close();
    }
    expect(first.kid).toMatch(/\S{20,}/);

    idp = await startIdp({ realmFile, database: await database.open() });
    try {
      const { store } = idp.ctx;
      expect(await store.getUser(REALM, user.id)).toEqual(user);
      expect(await store.findUserByEmail(REALM, user.email!.toUpperCase())).toEqual(user);
      expect(await store.getPassword(user.id)).toEqual(password);
      expect(signingKid(idp)).toBe(first.kid);
      expect(publicKids(idp)).toEqual(first.kids);

      const users = await store.listUsers(REALM);
      expect(users).toEqual(first.users);
      expect(users.filter((u) => u.username === 'sysadmin')).toHaveLength(1);
    } finally {
      await idp.close();
      await database.close();
    }
  }, 90_000);
});
