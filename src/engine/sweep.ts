// The sweeper: synthetic identities (named with the onramp-syn prefix) older than a TTL are removed
// from the platform and from Keycloak, for leftovers of runs that died before their cleanup ran.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import { request } from 'undici';
import type { Target } from './target.ts';
import { SYNTHETIC_PREFIX } from './identities.ts';
import { systemAdminToken } from './password-grant.ts';

export interface SweepReport {
  keycloakUsers: string[];
  platformUsers: string[];
  tenants: string[];
  /** What could not be removed, with why; the sweep goes on past each. */
  errors: string[];
  dryRun: boolean;
}

export async function sweep(target: Target, o: { olderThanMs: number; dryRun?: boolean; now?: number }): Promise<SweepReport> {
  const cutoff = (o.now ?? Date.now()) - o.olderThanMs;
  const report: SweepReport = { keycloakUsers: [], platformUsers: [], tenants: [], errors: [], dryRun: !!o.dryRun };
  const synthetic = (s: string | undefined) => !!s && s.toLowerCase().startsWith(SYNTHETIC_PREFIX);

  const kc = new KcAdminClient({ baseUrl: target.idpUrl, realmName: target.realm });
  await kc.auth({ grantType: 'client_credentials', clientId: target.adminClient.clientId, clientSecret: target.adminClient.clientSecret.reveal() });
  const adminToken = await systemAdminToken(target);
  const api = async (method: string, path: string) => {
    const res = await request(new URL(path, target.apiUrl), { method: method as 'GET', headers: { authorization: `Bearer ${adminToken}` } });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
  };

  const users = (await kc.users.find({ search: SYNTHETIC_PREFIX, max: 10_000, briefRepresentation: false })).filter(
    (u) => (synthetic(u.username) || synthetic(u.email)) && (u.createdTimestamp ?? 0) < cutoff,
  );
  for (const u of users) {
    // Self-signups carry their platform id as an attribute; bootstrapped tenant users are named by it.
    const platformId = u.attributes?.platform_user_id?.[0] ?? u.username!;
    if (!o.dryRun) {
      const res = await api('DELETE', `/api/v1/admin/users/${encodeURIComponent(platformId)}`);
      if (res.status !== 204 && res.status !== 404) {
        report.errors.push(`platform user ${platformId}: HTTP ${res.status} ${res.body?.code ?? ''}`.trim());
        continue;
      }
      if (res.status === 204) report.platformUsers.push(platformId);
      try {
        await kc.users.del({ id: u.id! });
      } catch (err) {
        if ((err as { response?: { status?: number } }).response?.status !== 404) {
          report.errors.push(`Keycloak user ${u.username}: ${(err as Error).message}`);
          continue;
        }
      }
    }
    report.keycloakUsers.push(u.username!);
  }

  const tenants = await api('GET', '/api/v1/admin/tenants');
  const list = (tenants.body?.tenants ?? tenants.body ?? []) as { id: string; slug: string; created_at?: string }[];
  for (const t of list.filter((t) => synthetic(t.slug) && Date.parse(t.created_at ?? '') < cutoff)) {
    if (!o.dryRun) {
      const res = await api('DELETE', `/api/v1/admin/tenants/${t.id}`);
      if (res.status !== 204 && res.status !== 404) {
        report.errors.push(`tenant ${t.slug}: HTTP ${res.status} ${res.body?.code ?? ''}`.trim());
        continue;
      }
    }
    report.tenants.push(t.slug);
  }
  return report;
}

/** `90s`, `30m`, `6h`, `7d` (or plain milliseconds). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
