// The sweeper: synthetic identities (named with the onramp-syn prefix) older than a TTL are removed
// from the platform and from Keycloak, for leftovers of runs that died before their cleanup ran.
// One plan is computed up front; a dry run reports it, a real sweep carries it out, so the preview
// and the removal list the same things. The same search, narrowed to one run's journey
// (`sweepByName`), is how a run's cleanup finds what a create left when its answer was lost.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { request } from 'undici';
import type { Target } from './target.ts';
import { SYNTHETIC_PREFIX } from './identities.ts';
import { systemAdminToken, tokenEndpoint, TokenRequestError } from './password-grant.ts';
import { failureReason } from './transport.ts';

export interface SweepPlan {
  /** Keycloak users by username, with their platform id when they have a platform user. */
  keycloakUsers: { id: string; username: string; platformId?: string }[];
  tenants: { id: string; slug: string }[];
}

export interface SweepReport {
  keycloakUsers: string[];
  platformUsers: string[];
  tenants: string[];
  /** What could not be removed, with why; the sweep goes on past each. */
  errors: string[];
  dryRun: boolean;
}

/** The target could not be reached or refused onramp's credentials: names the URL and the step. */
export class SweepTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepTargetError';
  }
}

export async function sweep(target: Target, o: { olderThanMs: number; dryRun?: boolean; now?: number }): Promise<SweepReport> {
  const session = await connect(target);
  const plan = await planSweep(session, { prefix: SYNTHETIC_PREFIX, createdBefore: (o.now ?? Date.now()) - o.olderThanMs });
  if (o.dryRun) return { ...planned(plan), errors: [], dryRun: true };
  return { ...(await carryOut(session, plan)), dryRun: false };
}

/** Which synthetic names a plan takes. */
interface Selection {
  /** Names that start with it: every run's (`onramp-syn`), or one run's journey (`onramp-syn-<run>-<journey>-`). */
  prefix: string;
  /** Only what was created before (epoch ms). */
  createdBefore?: number;
  /** Names under these prefixes stay: another journey's of the run whose id extends this one's. */
  keep?: string[];
}

/**
 * Removes the synthetic identities named under `prefix`, whatever their age: what a run's journey
 * made, found by name in Keycloak and in the platform's tenant list. The search waits for `after`
 * (the logins do not; `logins` may be shared ones); `signal` bounds it all.
 */
export async function sweepByName(target: Target, o: { prefix: string; keep?: string[]; after?: Promise<unknown>; logins?: Promise<SweepLogins>; signal?: AbortSignal }): Promise<Omit<SweepReport, 'dryRun'>> {
  const [session] = await Promise.all([connect(target, o.signal, o.logins), o.after]);
  return carryOut(session, await planSweep(session, o));
}

/** The parts of the platform's answers the sweeper reads. */
interface ApiBody {
  code?: string;
  tenants?: { id: string; slug: string; created_at?: string }[];
}

interface Session {
  kc: KcAdminClient;
  usersUrl: string;
  api(method: 'GET' | 'DELETE', path: string): Promise<{ status: number; body: ApiBody | undefined }>;
}

/** The sweeper's two logins: Keycloak's admin client, and the platform's system admin. */
export interface SweepLogins {
  kc: KcAdminClient;
  adminToken: string;
}

/** Both logins at once: on a slow IdP each is a full wait. */
export async function sweepLogins(target: Target, signal?: AbortSignal): Promise<SweepLogins> {
  // RequestInit's signal is left out of the client's type, yet honoured.
  const kc = new KcAdminClient({ baseUrl: target.idpUrl, realmName: target.realm, ...(signal ? { requestOptions: { signal } as RequestInit } : {}) });
  const [, adminToken] = await Promise.all([
    reach(`Keycloak admin login (client ${target.adminClient.clientId})`, tokenEndpoint(target), () =>
      kc.auth({ grantType: 'client_credentials', clientId: target.adminClient.clientId, clientSecret: target.adminClient.clientSecret.reveal() }),
    ),
    systemAdminToken(target, signal).catch((err: unknown) => {
      throw err instanceof TokenRequestError ? new SweepTargetError(err.message) : err;
    }),
  ]);
  return { kc, adminToken };
}

async function connect(target: Target, signal?: AbortSignal, logins?: Promise<SweepLogins>): Promise<Session> {
  const { kc: loggedIn, adminToken } = await (logins ?? sweepLogins(target, signal));
  // A client of this session's own (its requests end with `signal`), on the logged-in client's token.
  const kc = new KcAdminClient({ baseUrl: target.idpUrl, realmName: target.realm, ...(signal ? { requestOptions: { signal } as RequestInit } : {}) });
  kc.registerTokenProvider({ getAccessToken: () => loggedIn.getAccessToken() });
  return {
    kc,
    usersUrl: `${target.idpUrl}/admin/realms/${target.realm}/users`,
    api: async (method, path) => {
      const url = new URL(path, target.apiUrl);
      return reach(`platform API ${method} ${url.pathname}`, url.href, async () => {
        const res = await request(url, { method, headers: { authorization: `Bearer ${adminToken}` }, signal });
        const text = await res.body.text();
        return { status: res.statusCode, body: parseJson(text) };
      });
    },
  };
}

async function planSweep(s: Session, sel: Selection): Promise<SweepPlan> {
  const synthetic = (v: string | undefined) => {
    const name = v?.toLowerCase();
    return !!name && name.startsWith(sel.prefix) && !sel.keep?.some((k) => name.startsWith(k));
  };
  const before = (ms: number) => sel.createdBefore === undefined || ms < sel.createdBefore;
  // Keycloak and the platform at once: on a slow IdP the search is a full wait.
  const [users, listed] = await Promise.all([
    reach('Keycloak user search', s.usersUrl, () => s.kc.users.find({ search: sel.prefix, max: 10_000, briefRepresentation: false })),
    s.api('GET', '/api/v1/admin/tenants'),
  ]);
  const keycloakUsers = users
    .filter((u) => (synthetic(u.username) || synthetic(u.email)) && before(u.createdTimestamp ?? 0))
    .map((u) => ({ id: u.id!, username: u.username!, platformId: platformIdOf(u) }));
  if (listed.status !== 200) throw new SweepTargetError(`platform API GET /api/v1/admin/tenants answered HTTP ${listed.status} ${listed.body?.code ?? ''}`.trim());
  const all = listed.body?.tenants ?? [];
  const tenants = all.filter((t) => synthetic(t.slug) && before(Date.parse(t.created_at ?? ''))).map(({ id, slug }) => ({ id, slug }));
  return { keycloakUsers, tenants };
}

/**
 * Self-signups carry their platform id as an attribute; tenant users bootstrapped by the platform
 * are named by it and carry their tenant. A Keycloak user with neither has no platform side.
 */
function platformIdOf(u: { username?: string; attributes?: Record<string, string[] | undefined> }): string | undefined {
  return u.attributes?.platform_user_id?.[0] ?? (u.attributes?.tenant_id?.[0] ? u.username : undefined);
}

function planned(plan: SweepPlan): Omit<SweepReport, 'errors' | 'dryRun'> {
  return {
    keycloakUsers: plan.keycloakUsers.map((u) => u.username),
    platformUsers: plan.keycloakUsers.flatMap((u) => (u.platformId ? [u.platformId] : [])),
    tenants: plan.tenants.map((t) => t.slug),
  };
}

/**
 * Removes what the plan names: the users side by side (each waits on Keycloak), then the tenants.
 * Something already gone when its turn comes (a personal tenant goes with its user) counts as
 * removed: the plan holds. What fails is reported in errors instead, and the sweep goes on.
 */
async function carryOut(s: Session, plan: SweepPlan): Promise<Omit<SweepReport, 'dryRun'>> {
  const done: Omit<SweepReport, 'dryRun'> = { keycloakUsers: [], platformUsers: [], tenants: [], errors: [] };
  const users = await Promise.all(plan.keycloakUsers.map((u) => removeUser(s, u)));
  plan.keycloakUsers.forEach((u, i) => {
    const r = users[i]!;
    if (r.platform) done.platformUsers.push(u.platformId!);
    if (r.keycloak) done.keycloakUsers.push(u.username);
    if (r.error) done.errors.push(r.error);
  });
  const tenants = await Promise.all(plan.tenants.map((t) => s.api('DELETE', `/api/v1/admin/tenants/${encodeURIComponent(t.id)}`)));
  plan.tenants.forEach((t, i) => {
    const res = tenants[i]!;
    if (gone(res.status)) done.tenants.push(t.slug);
    else done.errors.push(`tenant ${t.slug}: HTTP ${res.status} ${res.body?.code ?? ''}`.trim());
  });
  return done;
}

const gone = (status: number) => status === 204 || status === 404;

/**
 * The platform user first: its removal takes the Keycloak user with it (a 204 ends here, one
 * Keycloak call instead of two). A Keycloak user whose platform user is already gone, or that has
 * none, is removed directly. When the platform refuses, the Keycloak user stays: it is how the next
 * sweep finds the platform user again.
 */
async function removeUser(s: Session, u: SweepPlan['keycloakUsers'][number]): Promise<{ platform?: boolean; keycloak?: boolean; error?: string }> {
  if (u.platformId) {
    const res = await s.api('DELETE', `/api/v1/admin/users/${encodeURIComponent(u.platformId)}`);
    if (!gone(res.status)) return { error: `platform user ${u.platformId}: HTTP ${res.status} ${res.body?.code ?? ''}`.trim() };
    if (res.status === 204) return { platform: true, keycloak: true };
  }
  try {
    await s.kc.users.del({ id: u.id });
  } catch (err) {
    if ((err as { response?: { status?: number } }).response?.status !== 404) return { platform: !!u.platformId, error: `Keycloak user ${u.username}: ${(err as Error).message}` };
  }
  return { platform: !!u.platformId, keycloak: true };
}

/**
 * Runs one call to the target; a failure to get any answer (refused, unknown host, TLS, timeout)
 * or an HTTP error from the admin client becomes a SweepTargetError naming the step and the URL,
 * instead of undici's bare "fetch failed".
 */
async function reach<T>(step: string, url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = (err as { response?: { status?: number } }).response?.status;
    if (status) throw new SweepTargetError(`${step} at ${url} failed: HTTP ${status}`);
    throw new SweepTargetError(`${step}: cannot reach ${url} (${failureReason(err)})`);
  }
}

function parseJson(text: string): ApiBody | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `90s`, `30m`, `6h`, `7d` (or plain milliseconds). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
