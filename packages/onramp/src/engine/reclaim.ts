// Cleanup by name. A create whose answer was lost (a reset connection, a gateway's 502, a garbled
// body, a timeout, a call abandoned on a slow IdP) may still have committed, and the journey's
// cleanup steps never learnt its id. After them, the runner looks the attempt's synthetic names
// (onramp-syn-<run>-<journey>-...) up in Keycloak and in the platform and removes what it finds:
// only that journey's of this run, only once each lost request has settled, and only within its
// own timeout and the run's cleanup grace.
import type { JourneyContext } from './context.ts';
import { syntheticName } from './identities.ts';
import { sweepByName, sweepLogins, type SweepLogins } from './sweep.ts';
import type { Target } from './target.ts';
import { raceAbort } from './abort.ts';

/** The longest the search and removal may take after an attempt (a cleanup step's default timeout). */
export const RECLAIM_TIMEOUT_MS = 30_000;

export interface Reclaimed {
  /** What was found by name and removed, as `Keycloak user NAME`, `platform user ID`, `tenant SLUG`. */
  removed: string[];
  /** What could not be removed, or why the search did not finish. */
  errors: string[];
}

/**
 * Runs only for an attempt with lost answers (`ctx.lostAnswers`). `journeyIds`: every journey of
 * the run, so that another journey's names under a longer id (`signup` and `signup-admin`) stay.
 */
export async function reclaimLost(ctx: JourneyContext, journeyIds: string[], signal: AbortSignal): Promise<Reclaimed | undefined> {
  if (!ctx.lostAnswers.length) return undefined;
  const prefixOf = (id: string) => `${syntheticName(ctx.runId, id)}-`;
  const prefix = prefixOf(ctx.journeyId);
  const keep = journeyIds.map(prefixOf).filter((p) => p !== prefix && p.startsWith(prefix));
  // A request still in flight (abandoned on a slow IdP) may yet commit: search once it has settled.
  const settled = Promise.all(ctx.lostAnswers.map((l) => l.settled));
  try {
    const r = await sweepByName(ctx.target, { prefix, keep, after: raceAbort(settled, signal), logins: raceAbort(loginsFor(ctx.target), signal), signal });
    return {
      removed: [...r.keycloakUsers.map((u) => `Keycloak user ${u}`), ...r.platformUsers.map((u) => `platform user ${u}`), ...r.tenants.map((t) => `tenant ${t}`)],
      errors: r.errors,
    };
  } catch (err) {
    const why = signal.aborted ? `not finished in time (${(signal.reason as Error)?.message ?? signal.reason})` : (err as Error).message;
    return { removed: [], errors: [`searching ${prefix}*: ${why}`] };
  }
}

/** Logins are shared by the searches against one target for a while: on a slow IdP each is a full wait. */
const shared = new WeakMap<Target, { until: number; logins: Promise<SweepLogins> }>();
/** Well within the 60-300 s Keycloak gives a token. */
const LOGINS_TTL_MS = 45_000;

function loginsFor(target: Target): Promise<SweepLogins> {
  const hit = shared.get(target);
  if (hit && Date.now() < hit.until) return hit.logins;
  // Not on one search's signal: the next search may use them after it ended.
  const logins = sweepLogins(target, AbortSignal.timeout(RECLAIM_TIMEOUT_MS));
  shared.set(target, { until: Date.now() + LOGINS_TTL_MS, logins });
  // A login that failed is not kept: the next search tries again.
  logins.catch(() => shared.get(target)?.logins === logins && shared.delete(target));
  return logins;
}
