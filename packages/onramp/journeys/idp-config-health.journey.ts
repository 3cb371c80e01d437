// Is the platform's Keycloak path usable? The cheapest canary that goes all the way through it:
// a synthetic tenant user bootstrapped (configuration, admin credentials, create, read back) and
// verified, then removed. A 422 fails with the row its code means (`keycloak_config_missing` for the
// platform's keycloak_not_configured, `keycloak_admin_secret_missing`, `keycloak_down`); a Keycloak
// that answers but too slowly for users is `keycloak_slow`, named before the platform's own timeouts
// start to fire.
import { defineJourney, http, idpFailure, type HttpResponse, type JourneyContext } from 'onramp';
import { bootstrapTenantUser, createSyntheticTenant, removeSyntheticUsers, removeTenant, systemAdminLogin } from 'onramp/steps';

// The platform gives each Keycloak call 5 s; a bootstrap makes three or four of them. Past this
// budget users wait visibly, while the platform still answers 201: only a latency check sees it.
const KEYCLOAK_PATH_BUDGET_MS = 4_000;

/**
 * A 422 from the Keycloak path fails with the row its code means: that code is the diagnosis. Unlike
 * the engine's `failOnIdpError`, the message carries the platform's remediation, which is the point
 * of this canary.
 */
function failOnIdpErrorWithRemediation(res: HttpResponse, ctx: JourneyContext): void {
  const f = idpFailure(res, '2xx');
  if (f) ctx.fail(f.code, `${f.message} (${res.body?.remediation ?? 'no remediation given'})`, { expected: f.expected, actual: f.actual });
}

/** The last request's time; the platform answered, so its correlation id is on the step. */
function withinBudget(ctx: JourneyContext, what: string): void {
  const ms = ctx.recorder.http.at(-1)?.timings.totalMs ?? 0;
  ctx.assert(`${what} within the Keycloak path budget`, ms <= KEYCLOAK_PATH_BUDGET_MS, { actual: `${Math.round(ms)} ms`, expected: `<= ${KEYCLOAK_PATH_BUDGET_MS} ms`, code: 'keycloak_slow' });
}

export default defineJourney({
  id: 'idp-config-health',
  title: "The platform's Keycloak bootstrap path is configured, reachable and quick",
  tags: ['api', 'keycloak', 'health'],
  timeoutMs: 45_000,
  steps: [
    // Keycloak's own 5xx is the outage the platform reports as keycloak_unavailable: keycloak_down either way.
    systemAdminLogin('Keycloak issues the system admin a token'),
    createSyntheticTenant(),
    bootstrapTenantUser('bootstrap a probe user through Keycloak', {
      label: 'probe',
      role: 'operator',
      then: (res, ctx) => {
        failOnIdpErrorWithRemediation(res, ctx);
        withinBudget(ctx, 'bootstrap');
      },
    }),
    http('verify the probe user through Keycloak', {
      id: 'verify-probe-user',
      request: (ctx) => ({ method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users/${encodeURIComponent(ctx.identity('probe').username)}/verify`, token: ctx.vars.adminToken }),
      expect: { status: [200, 422], failureCode: 'verify_failed' },
      then: (res, ctx) => {
        failOnIdpErrorWithRemediation(res, ctx);
        ctx.check('in_sync', res.body.in_sync, true, { code: 'verification_mismatch' });
        withinBudget(ctx, 'verify');
      },
    }),
    removeSyntheticUsers('remove the probe user', ['probe']),
    removeTenant(),
  ],
});
