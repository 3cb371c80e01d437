// Keycloak steps through @keycloak/keycloak-admin-client: direct checks of Keycloak's state and
// cleanup, as the target's service-account client. One authenticated client per run, whose token
// every step's own client borrows: each step's requests carry an X-Request-ID of onramp's making
// (recorded on the step as onramp's, not the target's correlation id), and a step that waits on a
// slow IdP past its budget fails as `keycloak_slow` (src/engine/idp-latency.ts); a 5xx is
// `keycloak_down`.
import KcAdminClient from '@keycloak/keycloak-admin-client';
import type { IdpStep } from '../journey.ts';
import type { Target } from '../target.ts';
import { StepFailure } from '../failure.ts';
import { IdpWatchdog } from '../idp-latency.ts';
import type { StepExecutor } from './executor.ts';

const statusOf = (err: unknown) => (err as { response?: { status?: number } }).response?.status;

export function createIdpExecutor(): StepExecutor<IdpStep> {
  let client: { kc: KcAdminClient; refreshAt: number; target: Target } | undefined;
  let seq = 0;
  const admin = async (target: Target, requestOptions: RequestInit) => {
    if (client && client.target === target && Date.now() < client.refreshAt) return client.kc;
    // The login carries the step's request id and deadline too.
    const kc = new KcAdminClient({ baseUrl: target.idpUrl, realmName: target.realm, requestOptions });
    try {
      await kc.auth({ grantType: 'client_credentials', clientId: target.adminClient.clientId, clientSecret: target.adminClient.clientSecret.reveal() });
    } catch (err) {
      const status = statusOf(err);
      const how = status ? ` (HTTP ${status})` : `: ${(err as Error).message}`;
      // A Keycloak that answers 5xx is down, not refusing the client.
      throw new StepFailure(status && status >= 500 ? 'keycloak_down' : 'idp_admin_auth_failed', `Keycloak admin login as ${target.adminClient.clientId} failed${how}`, 'an admin token', status ?? 'no response');
    }
    kc.setConfig({ requestOptions: {} });
    // Refresh well before Keycloak's default 60-300 s token lifetime runs out.
    client = { kc, refreshAt: Date.now() + 45_000, target };
    return kc;
  };
  return {
    kind: 'idp',
    async run(step, ctx) {
      const requestId = `${ctx.runId}.${ctx.journeyId}.idp.${++seq}`;
      ctx.recorder.requestId = requestId;
      const giveUp = new AbortController();
      const signal = AbortSignal.any([ctx.signal, giveUp.signal]);
      // RequestInit's signal is left out of the client's type, yet honoured: the step's deadline and the watchdog end its requests.
      const requestOptions = { headers: { 'x-request-id': requestId }, signal } as RequestInit;
      const watchdog = new IdpWatchdog(ctx.target, `${step.name} (X-Request-ID ${requestId})`, !step.always, ctx.signal);
      const call = watchdog.arm();
      const work = (async () => {
        const shared = await admin(ctx.target, requestOptions);
        const kc = new KcAdminClient({ baseUrl: ctx.target.idpUrl, realmName: ctx.target.realm, requestOptions });
        kc.registerTokenProvider({ getAccessToken: () => shared.getAccessToken() });
        try {
          await step.run(kc, ctx);
        } catch (err) {
          const status = statusOf(err);
          if (!(err instanceof StepFailure) && status !== undefined && status >= 500) throw new StepFailure('keycloak_down', `${step.name}: Keycloak answered HTTP ${status} (X-Request-ID ${requestId})`, 'a Keycloak answer below 500', status);
          throw err;
        }
      })();
      try {
        await Promise.race([work, watchdog.verdict]);
        watchdog.disarm(call);
        await watchdog.settle();
      } catch (err) {
        if (!(err instanceof StepFailure) || err.code !== 'keycloak_slow') throw err;
        giveUp.abort(err);
        work.catch(() => undefined);
        throw err;
      } finally {
        watchdog.disarm(call);
        watchdog.stop();
      }
    },
  };
}
