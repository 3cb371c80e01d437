// Keycloak steps through @keycloak/keycloak-admin-client: direct checks of Keycloak's state and
// cleanup, as the target's service-account client. One authenticated client per run.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type { IdpStep } from '../journey.ts';
import type { Target } from '../target.ts';
import { StepFailure } from '../failure.ts';
import type { StepExecutor } from './executor.ts';

export function createIdpExecutor(): StepExecutor<IdpStep> {
  let client: { kc: KcAdminClient; refreshAt: number; target: Target } | undefined;
  const admin = async (target: Target) => {
    if (client && client.target === target && Date.now() < client.refreshAt) return client.kc;
    const kc = new KcAdminClient({ baseUrl: target.idpUrl, realmName: target.realm });
    try {
      await kc.auth({ grantType: 'client_credentials', clientId: target.adminClient.clientId, clientSecret: target.adminClient.clientSecret.reveal() });
    } catch (err) {
      const status = (err as { response?: { status?: number } }).response?.status;
      throw new StepFailure('idp_admin_auth_failed', `Keycloak admin login as ${target.adminClient.clientId} failed${status ? ` (HTTP ${status})` : `: ${(err as Error).message}`}`, 'an admin token', status ?? 'no response');
    }
    // Refresh well before Keycloak's default 60-300 s token lifetime runs out.
    client = { kc, refreshAt: Date.now() + 45_000, target };
    return kc;
  };
  return {
    kind: 'idp',
    async run(step, ctx) {
      await step.run(await admin(ctx.target), ctx);
    },
  };
}
