// At start, the platform's system admins (by Keycloak username) get their platform user: the
// deployment's first operator has to exist before anyone can create tenants.
import { randomUUID } from 'node:crypto';
import type { PlatformContext } from './context.ts';
import { callKeycloak, keycloakAdmin } from './keycloak.ts';

export const SYSTEM_ORG_ID = '00000000-0000-4000-8000-000000000001';

export async function ensureSystemAdmins(ctx: PlatformContext, usernames: string[]): Promise<void> {
  if (!usernames.length) return;
  const kc = await keycloakAdmin(ctx);
  await ctx.pool.query(`INSERT INTO platform.orgs (id, name, kind) VALUES ($1, 'Platform operators', 'system') ON CONFLICT (id) DO NOTHING`, [SYSTEM_ORG_ID]);
  for (const username of usernames) {
    const [user] = await callKeycloak(ctx, 'find system admin', () => kc.users.find({ username, exact: true }));
    if (!user?.id) {
      ctx.log.warn({ service: ctx.service, username }, 'system admin not found in Keycloak; skipped');
      continue;
    }
    await ctx.pool.query(
      `INSERT INTO platform.users (id, org_id, email, display_name, idp_subject, is_system_admin)
       VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (id) DO UPDATE SET idp_subject = excluded.idp_subject, is_system_admin = true`,
      [username, SYSTEM_ORG_ID, user.email ?? `${username}@${randomUUID()}.invalid`, [user.firstName, user.lastName].filter(Boolean).join(' ') || username, user.id],
    );
  }
}
