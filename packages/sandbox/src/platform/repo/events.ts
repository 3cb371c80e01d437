// Platform events: what the worker and the handlers noticed, for operators and journeys to read.
// Two families live here: tenant-user drift (detected / resolved) and Keycloak users that a
// request had to leave behind for the worker to remove (cleanup pending / done).
import type { Db } from '../db.ts';

export const EVENT = {
  driftDetected: 'platform.tenant_user.drift_detected',
  driftResolved: 'platform.tenant_user.drift_resolved',
  cleanupPending: 'platform.keycloak_user.cleanup_pending',
  cleanupDone: 'platform.keycloak_user.cleanup_done',
} as const;

export interface PlatformEvent {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
  created_at: string;
}

const toEvent = (r: Record<string, unknown>): PlatformEvent => ({
  id: Number(r.id),
  type: r.type as string,
  payload: r.payload as Record<string, unknown>,
  correlation_id: (r.correlation_id as string | null) ?? null,
  created_at: new Date(r.created_at as string).toISOString(),
});

export async function recordEvent(db: Db, type: string, payload: Record<string, unknown>, correlationId: string | null = null): Promise<PlatformEvent> {
  const { rows } = await db.query(
    `INSERT INTO platform.platform_events (type, payload, correlation_id) VALUES ($1, $2, $3) RETURNING id, type, payload, correlation_id, created_at`,
    [type, JSON.stringify(payload), correlationId],
  );
  return toEvent(rows[0]);
}

/** Oldest first within the newest `limit`. */
export async function listEvents(db: Db, f: { type?: string; limit: number }): Promise<PlatformEvent[]> {
  const { rows } = await db.query(
    `SELECT * FROM (SELECT id, type, payload, correlation_id, created_at FROM platform.platform_events
                     WHERE $1::text IS NULL OR type = $1 ORDER BY id DESC LIMIT $2) newest ORDER BY id`,
    [f.type ?? null, f.limit],
  );
  return rows.map(toEvent);
}

/** The newest drift event (detected or resolved) of one tenant user: what the worker said last. */
export async function lastDriftEvent(db: Db, userId: string, tenantId: string): Promise<PlatformEvent | undefined> {
  const { rows } = await db.query(
    `SELECT id, type, payload, correlation_id, created_at FROM platform.platform_events
      WHERE type IN ($1, $2) AND payload->>'user_id' = $3 AND payload->>'tenant_id' = $4
      ORDER BY id DESC LIMIT 1`,
    [EVENT.driftDetected, EVENT.driftResolved, userId, tenantId],
  );
  return rows[0] ? toEvent(rows[0]) : undefined;
}

export interface PendingCleanup {
  id: number;
  subject: string;
  userId: string | null;
}

/** Keycloak users queued for removal that no cleanup_done event has closed yet. */
export async function pendingCleanups(db: Db): Promise<PendingCleanup[]> {
  const { rows } = await db.query(
    `SELECT p.id, p.payload FROM platform.platform_events p
      WHERE p.type = $1
        AND NOT EXISTS (SELECT 1 FROM platform.platform_events d WHERE d.type = $2 AND d.payload->>'pending_id' = p.id::text)
      ORDER BY p.id`,
    [EVENT.cleanupPending, EVENT.cleanupDone],
  );
  return rows.map((r) => ({ id: Number(r.id), subject: r.payload.idp_subject, userId: r.payload.user_id ?? null }));
}
