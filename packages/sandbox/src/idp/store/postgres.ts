// IdpStore on Postgres (schema `idp`): the same behaviour as memory.ts, with uniqueness enforced by
// the database so two IdP processes on one database cannot create clashing users.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPool } from '../../db/pool.ts';
import { migrateSchema } from '../../db/migrate.ts';
import type { StoredRealmKeys } from '../keys.ts';
import type { IdpStore, OidcPayload, OidcRecordStore, StoredCredential, StoredUser } from './types.ts';
import { DuplicateUserError } from './types.ts';

export const IDP_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
// The IdP's own lock, so its migrations do not queue behind the platform's when both start on one database.
const MIGRATION_LOCK = 0x6f6e72_616d70; // "onramp"

const UNIQUE_VIOLATION = '23505';
const clashField: Record<string, 'username' | 'email'> = {
  users_realm_username_key: 'username',
  users_realm_email_key: 'email',
};

/**
 * A connection string: the store opens (and on close ends) a single-connection pool, which suits
 * PGlite as well as a real Postgres at the IdP's request rates. A pool: shared with the caller, who
 * ends it. Either way the schema is migrated before this resolves.
 */
export async function createPostgresStore(database: string | pg.Pool): Promise<IdpStore> {
  const owned = typeof database === 'string';
  const pool = owned ? createPool(database, { single: true, application_name: 'onramp-idp' }) : database;
  try {
    await migrateIdp(pool);
  } catch (err) {
    if (owned) await pool.end();
    throw err;
  }
  return postgresStore(pool, owned);
}

export function migrateIdp(pool: pg.Pool): Promise<void> {
  return migrateSchema(pool, { dir: IDP_MIGRATIONS_DIR, schema: 'idp', lock: MIGRATION_LOCK, label: 'idp' });
}

interface UserRow {
  data: StoredUser;
}

type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[]) => Promise<pg.QueryResult<R>>;

/**
 * pool.query with one difference: a connection that answered with an SQL error (a duplicate
 * username is an everyday one here) goes back to the pool instead of being closed and reopened.
 * Every statement stands alone, so the connection is clean; on PGlite a reconnect is not cheap.
 */
function queryOn(pool: pg.Pool): Query {
  return async (text, values) => {
    const client = await pool.connect();
    try {
      const res = await client.query(text, values);
      client.release();
      return res;
    } catch (err) {
      client.release(err instanceof pg.DatabaseError ? undefined : (err as Error));
      throw err;
    }
  };
}

function postgresStore(pool: pg.Pool, owned: boolean): IdpStore {
  const query = queryOn(pool);
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> =>
    (await query<R>(text, values)).rows;

  const upsertUser = async (u: StoredUser) => {
    try {
      await query(
        `INSERT INTO idp.users (id, realm, username, email, data) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET realm = excluded.realm, username = excluded.username,
           email = excluded.email, data = excluded.data`,
        [u.id, u.realm, u.username.toLowerCase(), u.email || null, JSON.stringify(u)],
      );
    } catch (err) {
      const e = err as pg.DatabaseError;
      const field = e.code === UNIQUE_VIOLATION && e.constraint ? clashField[e.constraint] : undefined;
      if (field) throw new DuplicateUserError(field);
      throw err;
    }
  };
  const oneUser = async (text: string, values: unknown[]) => (await rows<UserRow>(text, values))[0]?.data;

  return {
    kind: 'postgres',
    // As in the memory store, create and update both put the user under its id; the unique indexes
    // reject a clash with any other user of the realm.
    createUser: upsertUser,
    updateUser: upsertUser,
    getUser: (realm, id) => oneUser('SELECT data FROM idp.users WHERE realm = $1 AND id = $2', [realm, id]),
    findUserByUsername: (realm, username) =>
      oneUser('SELECT data FROM idp.users WHERE realm = $1 AND lower(username) = lower($2)', [realm, username]),
    findUserByEmail: (realm, email) =>
      oneUser('SELECT data FROM idp.users WHERE realm = $1 AND lower(email) = lower($2)', [realm, email]),
    async listUsers(realm) {
      return (await rows<UserRow>('SELECT data FROM idp.users WHERE realm = $1 ORDER BY seq', [realm])).map((r) => r.data);
    },
    async deleteUser(realm, id) {
      // Credentials go with the user (ON DELETE CASCADE).
      const res = await query('DELETE FROM idp.users WHERE realm = $1 AND id = $2', [realm, id]);
      return (res.rowCount ?? 0) > 0;
    },
    async getPassword(userId) {
      const [r] = await rows<{ id: string; user_id: string; type: 'password'; created_date: string; hash: string }>(
        'SELECT id, user_id, type, created_date, hash FROM idp.credentials WHERE user_id = $1',
        [userId],
      );
      return r && { id: r.id, userId: r.user_id, type: r.type, createdDate: Number(r.created_date), hash: r.hash };
    },
    async setPassword(c: StoredCredential) {
      await query(
        `INSERT INTO idp.credentials (user_id, id, type, created_date, hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET id = excluded.id, type = excluded.type,
           created_date = excluded.created_date, hash = excluded.hash`,
        [c.userId, c.id, c.type, c.createdDate, c.hash],
      );
    },
    async getRealmKeys(realm) {
      const [r] = await rows<{ keys: StoredRealmKeys }>('SELECT keys FROM idp.realm_keys WHERE realm = $1', [realm]);
      return r?.keys;
    },
    async addRealmKeys(realm, keys) {
      // First writer wins: two IdPs starting on one empty database must end up signing with one key.
      await query(`INSERT INTO idp.realm_keys (realm, keys) VALUES ($1, $2) ON CONFLICT (realm) DO NOTHING`, [realm, JSON.stringify(keys)]);
      const [r] = await rows<{ keys: StoredRealmKeys }>('SELECT keys FROM idp.realm_keys WHERE realm = $1', [realm]);
      return r!.keys;
    },
    oidc: postgresOidcStore(pool),
    async close() {
      if (owned) await pool.end();
    },
  };
}

// Expiry is judged by this process's clock, as in the memory store, so both behave alike under a
// test's fake clock and a record's lifetime is exactly what oidc-provider asked for.
const LIVE = '(expires_at IS NULL OR expires_at > $NOW)';
// Expired rows are invisible at once and deleted in passing, at most this often.
const SWEEP_EVERY_MS = 60_000;

function postgresOidcStore(pool: pg.Pool): OidcRecordStore {
  const query = queryOn(pool);
  let lastSweep = 0;
  const live = (sql: string, values: unknown[]) => {
    const now = `$${values.length + 1}`;
    return query<{ id: string; payload: OidcPayload }>(sql.replaceAll('$NOW', now), [...values, new Date()]);
  };
  const first = async (sql: string, values: unknown[]) => (await live(sql, values)).rows[0]?.payload;

  return {
    async upsert(model, id, payload, expiresInSeconds) {
      const expiresAt = expiresInSeconds ? new Date(Date.now() + expiresInSeconds * 1000) : null;
      await query(
        `INSERT INTO idp.oidc_records (model, id, payload, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at`,
        [model, id, JSON.stringify(payload), expiresAt],
      );
      if (Date.now() - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = Date.now();
        await query('DELETE FROM idp.oidc_records WHERE expires_at <= $1', [new Date()]);
      }
    },
    find: (model, id) => first(`SELECT payload FROM idp.oidc_records WHERE model = $1 AND id = $2 AND ${LIVE}`, [model, id]),
    findByUid: (model, uid) =>
      first(`SELECT payload FROM idp.oidc_records WHERE model = $1 AND uid = $2 AND ${LIVE} ORDER BY seq LIMIT 1`, [model, uid]),
    findByUserCode: (model, userCode) =>
      first(`SELECT payload FROM idp.oidc_records WHERE model = $1 AND user_code = $2 AND ${LIVE} ORDER BY seq LIMIT 1`, [
        model,
        userCode,
      ]),
    async consume(model, id) {
      await live(
        `UPDATE idp.oidc_records SET payload = jsonb_set(payload, '{consumed}', to_jsonb($3::bigint))
         WHERE model = $1 AND id = $2 AND ${LIVE}`,
        [model, id, Math.floor(Date.now() / 1000)],
      );
    },
    async destroy(model, id) {
      await query('DELETE FROM idp.oidc_records WHERE model = $1 AND id = $2', [model, id]);
    },
    async revokeByGrantId(grantId) {
      // Every model's records of the grant, expired or not, as the memory store does.
      await query('DELETE FROM idp.oidc_records WHERE grant_id = $1', [grantId]);
    },
    async listByAccount(model, accountId) {
      const res = await live(
        `SELECT id, payload FROM idp.oidc_records WHERE model = $1 AND account_id = $2 AND ${LIVE} ORDER BY seq`,
        [model, accountId],
      );
      return res.rows.map((r) => ({ id: r.id, payload: r.payload }));
    },
  };
}
