// The runbook's "resolve user scope records in DB" and "confirm onboarding bootstrap artifacts":
// users.org_id, tenant and project memberships (active ones, and the soft-deleted ones for
// contrast), the default project of each of the user's tenants, and the user_posix_identities row.
// Read-only, through the engine's guard; on the embedded sandbox through its own connection.
import type { Query } from '../../engine/journey.ts';
import { unavailable, type MembershipRow, type ScopeSnapshot, type Section } from '../evidence.ts';
import { whyUnavailable, type TriageSources } from '../sources.ts';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));

export async function scopeSnapshot(q: Query, userId: string): Promise<ScopeSnapshot> {
  const [user] = await q<{ id: string; org_id: string | null; email: string; display_name: string; idp_subject: string | null }>('SELECT id, org_id::text AS org_id, email, display_name, idp_subject FROM platform.users WHERE id = $1', [userId]);
  const tm = await q<Record<string, unknown>>('SELECT id::text AS id, tenant_id::text AS tenant_id, role, deleted_at, created_at FROM platform.tenant_memberships WHERE user_id = $1 ORDER BY created_at, id', [userId]);
  const pm = await q<Record<string, unknown>>(
    'SELECT m.id::text AS id, m.project_id::text AS project_id, p.tenant_id::text AS tenant_id, p.is_default, m.role, m.deleted_at, m.created_at FROM platform.project_memberships m JOIN platform.projects p ON p.id = m.project_id WHERE m.user_id = $1 ORDER BY m.created_at, m.id',
    [userId],
  );
  const tenantIds = [...new Set(tm.filter((r) => r.deleted_at === null).map((r) => String(r.tenant_id)))];
  const defaults = tenantIds.length
    ? await q<{ tenant_id: string; project_id: string }>('SELECT tenant_id::text AS tenant_id, id::text AS project_id FROM platform.projects WHERE tenant_id = ANY($1::uuid[]) AND is_default AND deleted_at IS NULL', [tenantIds])
    : [];
  const [posix] = await q<{ uid: number; gid: number; username: string }>('SELECT uid, gid, username FROM platform.user_posix_identities WHERE user_id = $1', [userId]);
  const membership = (r: Record<string, unknown>): MembershipRow => ({
    id: String(r.id),
    ...(r.tenant_id ? { tenant_id: String(r.tenant_id) } : {}),
    ...(r.project_id ? { project_id: String(r.project_id) } : {}),
    ...(r.is_default !== undefined ? { is_default: Boolean(r.is_default) } : {}),
    role: String(r.role),
    active: r.deleted_at === null,
    deleted_at: iso(r.deleted_at),
    created_at: iso(r.created_at)!,
  });
  const projectRows = pm.map(membership);
  return {
    taken_at: new Date().toISOString(),
    user: user ?? null,
    tenant_memberships: tm.map(membership),
    project_memberships: projectRows,
    default_projects: tenantIds.map((t) => {
      const p = defaults.find((d) => d.tenant_id === t);
      return { tenant_id: t, project_id: p?.project_id ?? null, active_member: !!p && projectRows.some((m) => m.active && m.project_id === p.project_id) };
    }),
    posix_identity: posix ? { uid: Number(posix.uid), gid: Number(posix.gid), username: posix.username } : null,
  };
}

export async function collectScope(src: TriageSources, userId: string | null): Promise<Section<ScopeSnapshot>> {
  const no = src.dbUnavailable();
  if (no) return unavailable(no);
  if (!userId) return unavailable('no platform user could be resolved for this correlation id (give --user EMAIL|ID)');
  try {
    return { available: true, ...(await src.db((q) => scopeSnapshot(q, userId))) };
  } catch (err) {
    return unavailable(whyUnavailable('the database snapshot', err));
  }
}
