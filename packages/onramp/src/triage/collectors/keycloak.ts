// The Keycloak user behind the platform user, through the admin client: exists, enabled,
// attributes, required actions (a pending UPDATE_PASSWORD), sessions. For tenant users, also the
// platform's verify endpoint's drift report (which writes a user.verify audit row: the platform
// records every verification, including triage's).
import type UserRepresentation from '@keycloak/keycloak-admin-client/lib/defs/userRepresentation.js';
import { unavailable, type KeycloakEvidence, type ScopeSnapshot, type Section } from '../evidence.ts';
import { whyUnavailable, type TriageSources } from '../sources.ts';

export async function collectKeycloak(src: TriageSources, userId: string | null, scope: ScopeSnapshot | undefined, email?: string): Promise<Section<KeycloakEvidence>> {
  if (!userId && !email) return unavailable('no platform user could be resolved for this correlation id (give --user EMAIL|ID)');
  let user: UserRepresentation | undefined;
  try {
    const kc = await src.keycloak();
    const subject = scope?.user?.idp_subject;
    if (subject) user = await kc.users.findOne({ id: subject });
    if (!user && userId) [user] = await kc.users.find({ username: userId, exact: true });
    const mail = email ?? scope?.user?.email;
    if (!user && mail) [user] = await kc.users.find({ email: mail, exact: true });
    if (!user) return { available: true, exists: false, verify: await verify(src, userId, scope) };
    const sessions = await kc.users.listSessions({ id: user.id! });
    const actions = user.requiredActions ?? [];
    return {
      available: true,
      exists: true,
      id: user.id,
      username: user.username,
      enabled: user.enabled,
      email: user.email,
      attributes: user.attributes ?? {},
      required_actions: actions,
      update_password_pending: actions.includes('UPDATE_PASSWORD'),
      sessions: sessions.map((s) => ({ started: new Date(s.start ?? 0).toISOString(), last_access: new Date(s.lastAccess ?? 0).toISOString(), clients: Object.values(s.clients ?? {}) })),
      verify: await verify(src, userId, scope),
    };
  } catch (err) {
    return unavailable(whyUnavailable('the Keycloak admin lookup', err));
  }
}

/** The verify endpoint's drift report for a tenant user (a tenant_admin, operator or auditor). */
async function verify(src: TriageSources, userId: string | null, scope: ScopeSnapshot | undefined): Promise<Section<{ tenant_id: string; in_sync: unknown; checks: unknown }>> {
  const tenant = scope?.tenant_memberships.find((m) => m.active && m.role !== 'member')?.tenant_id;
  if (!userId || !tenant) return unavailable(scope ? 'not a tenant user (no active tenant_admin, operator or auditor membership)' : 'the tenant is unknown without the database snapshot');
  try {
    const res = await src.api('POST', `/api/v1/admin/tenants/${tenant}/users/${encodeURIComponent(userId)}/verify`);
    if (res.status !== 200) return unavailable(`POST .../verify answered ${res.status} ${(res.body as { code?: string })?.code ?? ''}`.trim());
    const body = res.body as { in_sync?: unknown; checks?: unknown };
    return { available: true, tenant_id: tenant, in_sync: body.in_sync, checks: body.checks };
  } catch (err) {
    return unavailable(whyUnavailable('the verify endpoint', err));
  }
}
