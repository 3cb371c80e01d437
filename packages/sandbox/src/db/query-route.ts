// Read-only access to the sandbox's database over HTTP, behind the control token, for onramp on
// another process: embedded PGlite serves one connection, held by the sandbox, so no second client
// could connect to it; this route lends that connection one session at a time instead.
//
//   POST   /__sandbox/db/sessions               opens a session: BEGIN READ ONLY on a connection
//   POST   /__sandbox/db/sessions/:id/query     {text, values}: one statement, extended protocol
//   DELETE /__sandbox/db/sessions/:id           ROLLBACK, the connection back to the pool
//
// The guarantees of onramp's own db executor hold here, on the sandbox's side: every session is a
// READ ONLY transaction that is always rolled back (on DELETE, after IDLE_MS without a request, on
// close); each query runs by the extended protocol (one statement, parameters apart); before each
// one the session checks that its transaction is still read-only, and ends itself if not;
// statements that would leave or change the transaction (BEGIN, COMMIT, SET TRANSACTION, ...)
// are refused before they reach Postgres.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ApiError, invalidRequest, notFound } from '../platform/http/errors.ts';
import type { ApiRequest } from '../platform/http/request.ts';
import type { ExtraRoute } from '../platform/server.ts';

export const DB_SESSIONS_PATH = '/__sandbox/db/sessions';
/** A session nobody speaks to for this long is rolled back: a client that died must not hold the database. */
export const IDLE_MS = 10_000;

const TRANSACTION_CONTROL = /^\s*(begin|start|commit|end|rollback|abort|savepoint|release|prepare\s+transaction|set\s+(local\s+|session\s+)?transaction|set\s+session\s+characteristics|set\s+(local\s+|session\s+)?default_transaction_read_only|reset\s+all|discard|lock)\b/i;

interface Session {
  client: pg.PoolClient;
  timer: NodeJS.Timeout;
  /** Queries of one session run one after another, as on one connection. */
  queue: Promise<unknown>;
}

export function dbSessionRoutes(pool: pg.Pool, guard: (r: ApiRequest) => void): ExtraRoute[] & { closeAll(): Promise<void> } {
  const sessions = new Map<string, Session>();
  const end = async (id: string) => {
    const s = sessions.get(id);
    if (!s) return false;
    sessions.delete(id);
    clearTimeout(s.timer);
    await s.queue.catch(() => undefined);
    let broken: Error | undefined;
    await s.client.query('ROLLBACK').catch((err: Error) => (broken = err));
    s.client.release(broken);
    return true;
  };
  const touch = (id: string, s: Session) => {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void end(id), IDLE_MS);
    s.timer.unref();
  };
  const session = (r: ApiRequest) => {
    const id = r.params.id!;
    const s = sessions.get(id);
    if (!s) throw notFound(`Database session ${id}`);
    touch(id, s);
    return { id, s };
  };
  const routes: ExtraRoute[] = [
    {
      method: 'POST',
      path: DB_SESSIONS_PATH,
      handler: async (r) => {
        guard(r);
        const client = await pool.connect();
        try {
          await client.query('BEGIN READ ONLY');
        } catch (err) {
          client.release(err as Error);
          throw err;
        }
        const id = randomUUID();
        const s: Session = { client, timer: setTimeout(() => undefined, 0), queue: Promise.resolve() };
        sessions.set(id, s);
        touch(id, s);
        return { status: 201, body: { session: id, read_only: true, idle_timeout_ms: IDLE_MS } };
      },
    },
    {
      method: 'POST',
      path: `${DB_SESSIONS_PATH}/:id/query`,
      handler: async (r) => {
        guard(r);
        const { id, s } = session(r);
        const body = await r.json();
        if (typeof body.text !== 'string' || !body.text.trim()) throw invalidRequest('"text" must be one SQL statement.', { fields: ['text'] });
        if (body.values !== undefined && !Array.isArray(body.values)) throw invalidRequest('"values" must be an array of parameters.', { fields: ['values'] });
        if (TRANSACTION_CONTROL.test(body.text)) throw new ApiError(403, 'read_only_session', 'A read-only session runs queries only: transaction and session control statements are refused.');
        const run = async () => {
          const { rows } = await s.client.query({ text: "SELECT current_setting('transaction_read_only') AS ro", queryMode: 'extended' } as pg.QueryConfig);
          if (rows[0]?.ro !== 'on') {
            void end(id);
            throw new ApiError(409, 'not_read_only', `The session left its read-only transaction (transaction_read_only = ${rows[0]?.ro}); it is closed.`);
          }
          return (await s.client.query({ text: body.text as string, values: body.values as unknown[] | undefined, queryMode: 'extended' } as pg.QueryConfig)).rows;
        };
        const result = s.queue.then(run, run);
        s.queue = result.catch(() => undefined);
        try {
          return { status: 200, body: { rows: await result } };
        } catch (err) {
          if (err instanceof ApiError) throw err;
          const e = err as { message?: string; code?: string };
          // Postgres refused the statement (a write in a read-only transaction is 25006).
          throw new ApiError(400, 'query_failed', e.message ?? String(err), { sqlstate: e.code });
        }
      },
    },
    {
      method: 'DELETE',
      path: `${DB_SESSIONS_PATH}/:id`,
      handler: async (r) => {
        guard(r);
        if (!(await end(r.params.id!))) throw notFound(`Database session ${r.params.id}`);
        return { status: 204 };
      },
    },
  ];
  return Object.assign(routes, { closeAll: async () => void (await Promise.all([...sessions.keys()].map(end))) });
}
