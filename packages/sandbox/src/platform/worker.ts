// The reconciliation worker (OP-071): on every tick it re-verifies each active tenant user against
// Keycloak and records platform.tenant_user.drift_detected for a mismatch, once per distinct drift
// (a drift_resolved event closes it, so a drift that comes back is reported again). It also
// finishes what requests could not: Keycloak users left behind while Keycloak was unreachable.
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { PlatformContext } from './context.ts';
import { IdpFailure } from './http/errors.ts';
import { callKeycloak, keycloakAdmin, keycloakStatus } from './keycloak.ts';
import { getTenantUser, listTenantUsers, type TenantUser } from './repo/tenants.ts';
import { EVENT, lastDriftEvent, pendingCleanups, recordEvent } from './repo/events.ts';
import { compareKeycloakUser, driftSignature, expectedFromRecord, failingChecks, inSync, readKeycloakUser, reportedDrift, type Check } from './verification.ts';

export interface DriftReport {
  user_id: string;
  tenant_id: string;
  in_sync: boolean;
  /** The failing checks; empty when in sync. */
  checks: Check[];
  /** The event this tick recorded for the user, if any. */
  event: typeof EVENT.driftDetected | typeof EVENT.driftResolved | null;
}

export interface Worker {
  /** One reconciliation pass; concurrent calls share the pass in flight. */
  runOnce(): Promise<DriftReport[]>;
  stop(): Promise<void>;
}

export function startWorker(ctx: PlatformContext, o: { intervalMs: number }): Worker {
  let inFlight: Promise<DriftReport[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const runOnce = () => (inFlight ??= reconcile(ctx).finally(() => (inFlight = undefined)));
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        // A database hiccup must not end reconciliation: log it, try again next tick.
        .catch((err: unknown) => ctx.log.error({ service: ctx.service, err: { message: (err as Error).message } }, 'reconciliation tick failed'))
        .finally(schedule);
    }, o.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight?.catch(() => {});
    },
  };
}

async function reconcile(ctx: PlatformContext): Promise<DriftReport[]> {
  let kc: KcAdminClient;
  try {
    kc = await keycloakAdmin(ctx);
  } catch (err) {
    if (err instanceof IdpFailure) return skipTick(ctx, err);
    throw err;
  }
  const reports: DriftReport[] = [];
  try {
    await retryCleanups(ctx, kc);
    for (const user of await listTenantUsers(ctx.pool)) {
      const report = await reconcileOne(ctx, kc, user);
      if (report) reports.push(report);
    }
  } catch (err) {
    // Keycloak went away mid-pass: a user we could not read is not drift. Next tick starts over.
    if (err instanceof IdpFailure) return skipTick(ctx, err, reports);
    throw err;
  }
  return reports;
}

/**
 * One user of the pass. The list was read at the start of the pass, so a user may be removed while
 * the pass runs (its Keycloak user then answers 404 half-way through): that user is skipped, not
 * reported as drift, and the pass goes on. Any other failure of one user is logged and the pass
 * goes on too; only Keycloak being unusable (IdpFailure) ends the pass.
 */
async function reconcileOne(ctx: PlatformContext, kc: KcAdminClient, user: TenantUser): Promise<DriftReport | undefined> {
  try {
    return await reconcileUser(ctx, kc, user);
  } catch (err) {
    if (err instanceof IdpFailure) throw err;
    const gone = !(await stillThere(ctx, user).catch(() => true));
    const fields = { service: ctx.service, user_id: user.user_id, tenant_id: user.tenant_id };
    if (gone) ctx.log.info(fields, 'reconciliation: user removed during the pass; skipped');
    else ctx.log.error({ ...fields, err: { message: (err as Error).message } }, 'reconciliation of one user failed; the pass goes on');
    return undefined;
  }
}

async function stillThere(ctx: PlatformContext, user: TenantUser): Promise<boolean> {
  return (await getTenantUser(ctx.pool, user.tenant_id, user.user_id)) !== undefined;
}

function skipTick(ctx: PlatformContext, err: IdpFailure, partial: DriftReport[] = []): DriftReport[] {
  ctx.log.warn({ service: ctx.service, code: err.code, detail: err.detail, ...err.extra }, 'reconciliation skipped: Keycloak not usable; retrying next tick');
  return partial;
}

/** The user's drift report, or undefined when it turned out to be removed meanwhile. */
async function reconcileUser(ctx: PlatformContext, kc: KcAdminClient, user: TenantUser): Promise<DriftReport | undefined> {
  const state = user.idp_subject ? await readKeycloakUser(ctx, kc, user.idp_subject) : { user: null, hasPassword: false };
  const checks = reportedDrift(ctx, compareKeycloakUser(expectedFromRecord(user), state, 'drift'));
  const ok = inSync(checks);
  // What a removal half-way through looks like (no Keycloak user, no password) is drift only while
  // the platform user is still there.
  if (!ok && !(await stillThere(ctx, user))) return undefined;
  const last = await lastDriftEvent(ctx.pool, user.user_id, user.tenant_id);
  const open = last?.type === EVENT.driftDetected ? last : undefined;
  let event: DriftReport['event'] = null;
  if (!ok) {
    const signature = driftSignature(checks);
    if (open?.payload.signature !== signature) {
      await recordEvent(ctx.pool, EVENT.driftDetected, { user_id: user.user_id, tenant_id: user.tenant_id, idp_subject: user.idp_subject, checks: failingChecks(checks), signature });
      event = EVENT.driftDetected;
    }
  } else if (open && !ctx.faults.isOn('drift_not_reported')) {
    // Under the fault the worker stays silent altogether, "resolved" included.
    await recordEvent(ctx.pool, EVENT.driftResolved, { user_id: user.user_id, tenant_id: user.tenant_id, resolves: open.id });
    event = EVENT.driftResolved;
  }
  return { user_id: user.user_id, tenant_id: user.tenant_id, in_sync: ok, checks: failingChecks(checks), event };
}

async function retryCleanups(ctx: PlatformContext, kc: KcAdminClient): Promise<void> {
  for (const p of await pendingCleanups(ctx.pool)) {
    await deleteOnce(ctx, kc, p.subject);
    await recordEvent(ctx.pool, EVENT.cleanupDone, { pending_id: p.id, idp_subject: p.subject, user_id: p.userId });
  }
}

/** Deletes a Keycloak user; one that is already gone counts as deleted. */
async function deleteOnce(ctx: PlatformContext, kc: KcAdminClient, subject: string): Promise<void> {
  try {
    await callKeycloak(ctx, 'delete user', () => kc.users.del({ id: subject }));
  } catch (err) {
    if (keycloakStatus(err) !== 404) throw err;
  }
}

export interface Removal {
  subject: string;
  userId: string | null;
  reason: string;
  correlationId: string | null;
}

const RETRY_DELAYS_MS = [0, 150, 500];

/**
 * Removes a Keycloak user that must not outlive a request (a failed bootstrap, a removed tenant
 * user). A short outage is retried in place; a longer one leaves a cleanup_pending event that the
 * worker's next ticks work off, so a dead Keycloak never leaves the user behind for good.
 * `kc` is the client the request already holds: while Keycloak is down a new one cannot log in.
 */
export async function removeKeycloakUser(ctx: PlatformContext, kc: KcAdminClient | undefined, r: Removal): Promise<'removed' | 'queued'> {
  let lastErr: unknown;
  for (const delay of RETRY_DELAYS_MS) {
    if (delay) await new Promise((res) => setTimeout(res, delay));
    try {
      await deleteOnce(ctx, kc ?? (await keycloakAdmin(ctx)), r.subject);
      return 'removed';
    } catch (err) {
      lastErr = err;
    }
  }
  const reason = lastErr instanceof IdpFailure ? `${lastErr.code}: ${JSON.stringify(lastErr.extra ?? {})}` : (lastErr as Error).message;
  ctx.log.warn({ service: ctx.service, correlation_id: r.correlationId, idp_subject: r.subject, user_id: r.userId, reason }, 'Keycloak user removal queued for the worker');
  await recordEvent(ctx.pool, EVENT.cleanupPending, { idp_subject: r.subject, user_id: r.userId, reason: r.reason, last_error: reason }, r.correlationId);
  return 'queued';
}
