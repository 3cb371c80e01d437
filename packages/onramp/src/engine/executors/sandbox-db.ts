// Db steps against a running sandbox (`onramp sandbox` in another process): its embedded database
// serves one connection, the sandbox's own, so the steps' sessions go through the sandbox's
// database route behind the control token (@onramp/sandbox db/query-route.ts) instead. The route
// keeps the db executor's guarantees on its side (READ ONLY transaction opened by the sandbox and
// always rolled back, one statement per query by the extended protocol, the transaction checked
// before each query, transaction control refused); `readOnly` in db.ts runs over it unchanged,
// its own per-query check included.
import { request } from 'undici';
import type { Secret } from '../secret.ts';
import type { DbSession, DbSessions } from '../db-session.ts';

export const SANDBOX_DB_PATH = '/__sandbox/db/sessions';

interface Answer { status: number; body: Record<string, unknown> | undefined }

/** Sessions on the sandbox at `apiUrl` (its platform API URL). */
export function sandboxDbSessions(apiUrl: string, controlToken: Secret): DbSessions {
  const call = async (method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> => {
    const res = await request(new URL(path, apiUrl), {
      method,
      headers: { authorization: `Bearer ${controlToken.reveal()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed };
  };
  const refused = (what: string, a: Answer) =>
    new Error(a.status === 404 && what === 'opening a session' ? `the sandbox at ${apiUrl} has no database route (${SANDBOX_DB_PATH}): an older onramp sandbox?` : `the sandbox's database route refused ${what}: ${a.status} ${String(a.body?.message ?? a.body?.code ?? '')}`.trim());
  return {
    async connect(): Promise<DbSession> {
      const opened = await call('POST', SANDBOX_DB_PATH);
      if (opened.status !== 201 || typeof opened.body?.session !== 'string') throw refused('opening a session', opened);
      const path = `${SANDBOX_DB_PATH}/${encodeURIComponent(opened.body.session)}`;
      let open = true;
      const close = async () => {
        if (!open) return;
        open = false;
        await call('DELETE', path);
      };
      const query = async (q: string | { text: string; values?: unknown[] }) => {
        if (typeof q === 'string') {
          // The sandbox opened the session as a READ ONLY transaction and rolls it back at its end.
          if (/^\s*BEGIN READ ONLY\s*$/i.test(q)) return { rows: [] };
          if (/^\s*ROLLBACK\s*$/i.test(q)) return await close(), { rows: [] };
          throw new Error(`a sandbox database session runs queries only, not ${JSON.stringify(q.slice(0, 40))}`);
        }
        if (!open) throw new Error('the sandbox database session is closed');
        const a = await call('POST', `${path}/query`, { text: q.text, values: q.values });
        if (a.status !== 200 || !Array.isArray(a.body?.rows)) throw a.status === 400 && typeof a.body?.message === 'string' ? new Error(a.body.message) : refused('a query', a);
        return { rows: a.body.rows as Record<string, unknown>[] };
      };
      return {
        query: query as DbSession['query'],
        release: () => void close().catch(() => undefined),
      };
    },
  };
}
