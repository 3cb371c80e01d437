// The deployment's system admins (by Keycloak username, from its configuration) get their platform
// user on their first authenticated request, from the verified token: the first operator has to
// exist before anyone can create tenants. Not at start: a real API pod starts without a reachable or
// configured Keycloak, and answers 422 with the named code until it has one.
import type { JWTPayload } from 'jose';
import type { PlatformContext } from './context.ts';

export const SYSTEM_ORG_ID = '00000000-0000-4000-8000-000000000001';

/** Provisions the token's user when it is a configured system admin; true when a row was written. */
export async function provisionSystemAdmin(ctx: PlatformContext, token: JWTPayload): Promise<boolean> {
  const username = typeof token.preferred_username === 'string' ? token.preferred_username : undefined;
  if (!username || !token.sub || !ctx.systemAdmins.includes(username)) return false;
  const email = typeof token.email === 'string' ? token.email : `${username}@system.invalid`;
  const name = typeof token.name === 'string' && token.name ? token.name : username;
  await ctx.pool.query(`INSERT INTO platform.orgs (id, name, kind) VALUES ($1, 'Platform operators', 'system') ON CONFLICT (id) DO NOTHING`, [SYSTEM_ORG_ID]);
  await ctx.pool.query(
    `INSERT INTO platform.users (id, org_id, email, display_name, idp_subject, is_system_admin)
     VALUES ($1, $2, $3, $4, $5, true)
     ON CONFLICT (id) DO UPDATE SET idp_subject = excluded.idp_subject, is_system_admin = true`,
    [username, SYSTEM_ORG_ID, email, name, token.sub],
  );
  ctx.log.info({ service: ctx.service, username }, 'system admin provisioned from its first token');
  return true;
}
