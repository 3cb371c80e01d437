// Where evidence comes from for one target: its database (read-only, through the engine's guard),
// Keycloak's admin API, the platform's API as system admin, and its logs. Each is opened lazily on
// first use and kept for the bundles that follow; `unavailable` says why a source cannot be used.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { request } from 'undici';
import type { Target } from '../engine/target.ts';
import type { Query } from '../engine/journey.ts';
import { dbPools, dbUnavailable, readOnly } from '../engine/executors/db.ts';
import { systemAdminToken } from '../engine/password-grant.ts';

export interface LogSource {
  /** The `service` label of the API's log lines. */
  service: string;
  lokiUrl?: string;
  grafanaUrl?: string;
  grafanaDatasource?: string;
  /** A JSON-lines request log (the embedded sandbox's `sandbox.log`, or an exported one). */
  file?: string;
}

/** The target's log settings; the embedded sandbox's request log when there is no Loki. */
export function logSourceFor(target: Target, sandboxLog?: string): LogSource {
  const l = target.logs ?? {};
  return { service: l.service ?? 'gpuaas-api', lokiUrl: l.lokiUrl, grafanaUrl: l.grafanaUrl, grafanaDatasource: l.grafanaDatasource, file: l.file ?? sandboxLog };
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export class TriageSources {
  readonly #pools = dbPools('onramp-triage');
  #kc?: Promise<KcAdminClient>;
  #token?: Promise<string>;

  constructor(
    readonly target: Target,
    readonly logs: LogSource,
  ) {}

  dbUnavailable(): string | undefined {
    return dbUnavailable(this.target);
  }

  /** Read-only queries in one rolled-back transaction. */
  db<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return readOnly(this.#pools.poolFor(this.target), fn);
  }

  keycloak(): Promise<KcAdminClient> {
    this.#kc ??= (async () => {
      const kc = new KcAdminClient({ baseUrl: this.target.idpUrl, realmName: this.target.realm });
      await kc.auth({ grantType: 'client_credentials', clientId: this.target.adminClient.clientId, clientSecret: this.target.adminClient.clientSecret.reveal() });
      return kc;
    })();
    this.#kc.catch(() => (this.#kc = undefined));
    return this.#kc;
  }

  /** A platform API call as the target's system admin. */
  async api(method: 'GET' | 'POST', path: string): Promise<ApiAnswer> {
    this.#token ??= systemAdminToken(this.target);
    this.#token.catch(() => (this.#token = undefined));
    const token = await this.#token;
    const res = await request(new URL(path, this.target.apiUrl), { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, headersTimeout: 15_000, bodyTimeout: 15_000 });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.statusCode, body };
  }

  async close(): Promise<void> {
    await this.#pools.end();
  }
}

/** A collector's failure as the reason it is unavailable, with no stack and no secret. */
export function whyUnavailable(what: string, err: unknown): string {
  const e = err as { response?: { status?: number }; message?: string };
  const status = e.response?.status;
  return `${what} failed: ${status ? `HTTP ${status}` : (e.message ?? String(err)).split('\n')[0]}`;
}
