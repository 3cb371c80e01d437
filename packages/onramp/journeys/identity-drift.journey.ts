// OP-071 drift reporting: change a tenant user's Keycloak attributes behind the platform's back;
// the verify endpoint must show the red row at once and the reconciliation worker must record
// platform.tenant_user.drift_detected; after the change is undone, verify is green again.
// It edits Keycloak directly, so it never runs against a production target.
import { defineJourney, http, idp, failOnIdpError, type HttpResponse, type JourneyContext } from 'onramp';
import { bootstrapTenantUser, createSyntheticTenant, removeSyntheticUsers, removeTenant, systemAdminLogin } from 'onramp/steps';

/** How long to wait for the worker: two ticks of its 30 s default interval, and some. */
const WORKER_WAIT_MS = 65_000;
// Short first, since a fast worker is there in a second; then a slow steady pace.
const POLL_DELAYS_MS = [0, 250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000];
const DRIFT_EVENT = 'platform.tenant_user.drift_detected';
/** The drift: an operator quietly made a tenant admin in Keycloak. */
const DRIFTED_ROLE = 'tenant_admin';

type Check = { name: string; ok: boolean; expected: unknown; actual: unknown };

const verify = (name: string, then: (checks: Check[], res: HttpResponse, ctx: JourneyContext) => void) =>
  http(name, {
    request: (ctx) => ({ method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users/${encodeURIComponent(ctx.identity('user').username)}/verify`, token: ctx.vars.adminToken }),
    expect: { status: [200, 422], failureCode: 'verify_failed' },
    then: (res, ctx) => {
      failOnIdpError(res, ctx, '2xx');
      then(res.body.checks ?? [], res, ctx);
    },
  });

export default defineJourney({
  id: 'identity-drift',
  title: 'Drift between the platform and Keycloak is reported by verify and by the worker',
  tags: ['api', 'keycloak', 'drift'],
  timeoutMs: 120_000,
  notInProduction: true,
  steps: [
    systemAdminLogin(),
    createSyntheticTenant(),
    bootstrapTenantUser('bootstrap a tenant user', { label: 'user', role: 'operator', expected: '2xx' }),
    verify('verify is in sync before the change', (checks, res, ctx) => {
      ctx.check('red verify rows', checks.filter((c) => !c.ok), [], { code: 'verification_mismatch' });
      ctx.check('in_sync', res.body.in_sync, true, { code: 'verification_mismatch' });
    }),
    idp('change the Keycloak user behind the platform', {
      id: 'change-keycloak-user',
      run: async (kc, ctx) => {
        const [u] = await kc.users.find({ username: ctx.identity('user').username, exact: true });
        ctx.assert('Keycloak user exists', u !== undefined, { actual: 'missing', expected: ctx.identity('user').username, code: 'created_without_keycloak' });
        ctx.vars.kcUser = u;
        // The whole editable representation: a partial PUT may clear fields on a real Keycloak.
        await kc.users.update({ id: u!.id! }, { username: u!.username, email: u!.email, firstName: u!.firstName, lastName: u!.lastName, enabled: u!.enabled, emailVerified: u!.emailVerified, attributes: { ...u!.attributes, platform_role: [DRIFTED_ROLE] } });
        ctx.vars.drifted = true;
      },
    }),
    verify('verify reports the drift', (checks, res, ctx) => {
      const row = checks.find((c) => c.name === 'attributes.platform_role');
      ctx.check('in_sync', res.body.in_sync, false, { code: 'drift_not_reported' });
      ctx.check('attributes.platform_role row', row && { ok: row.ok, actual: row.actual }, { ok: false, actual: DRIFTED_ROLE }, { code: 'drift_not_reported' });
    }),
    http('the worker records the drift', {
      id: 'worker-records-drift',
      timeoutMs: WORKER_WAIT_MS + 15_000,
      repeat: POLL_DELAYS_MS.length,
      request: async (ctx) => {
        const i = (ctx.vars.poll = (ctx.vars.poll ?? -1) + 1);
        ctx.vars.pollDeadline ??= Date.now() + WORKER_WAIT_MS;
        // No conditional repeat in the engine: once found, the remaining tries go out at once.
        // ctx.sleep gives way at once to SIGINT/SIGTERM, so the cleanup below runs in time.
        if (!ctx.vars.driftEvent) await ctx.sleep(Math.max(0, Math.min(POLL_DELAYS_MS[i]!, ctx.vars.pollDeadline - Date.now())));
        return { method: 'GET', path: `/api/v1/admin/events?type=${DRIFT_EVENT}&limit=${ctx.vars.driftEvent ? 1 : 200}`, token: ctx.vars.adminToken };
      },
      expect: { status: 200, failureCode: 'events_unavailable' },
      then: (res, ctx) => {
        if (ctx.vars.driftEvent) return;
        const mine = (e: { payload: { user_id?: string; tenant_id?: string } }) => e.payload.user_id === ctx.identity('user').username && e.payload.tenant_id === ctx.vars.tenantId;
        ctx.vars.driftEvent = (res.body.events ?? []).find(mine);
        const lastTry = ctx.vars.poll === POLL_DELAYS_MS.length - 1 || Date.now() >= ctx.vars.pollDeadline;
        if (!ctx.vars.driftEvent && lastTry) ctx.fail('drift_not_reported', `no ${DRIFT_EVENT} event for the user within ${WORKER_WAIT_MS} ms`, { expected: `a ${DRIFT_EVENT} event`, actual: 'none' });
        if (ctx.vars.driftEvent) {
          const names = (ctx.vars.driftEvent.payload.checks ?? []).map((c: Check) => c.name);
          ctx.assert('drift event names the row', names.includes('attributes.platform_role'), { actual: names, expected: 'includes attributes.platform_role', code: 'drift_not_reported' });
        }
      },
    }),
    idp('restore the Keycloak user', {
      id: 'restore-keycloak-user',
      run: async (kc, ctx) => {
        const u = ctx.vars.kcUser;
        await kc.users.update({ id: u.id }, { username: u.username, email: u.email, firstName: u.firstName, lastName: u.lastName, enabled: u.enabled, emailVerified: u.emailVerified, attributes: u.attributes });
        ctx.vars.drifted = false;
      },
    }),
    verify('verify is in sync again', (checks, res, ctx) => {
      ctx.check('red verify rows', checks.filter((c) => !c.ok), [], { code: 'verification_mismatch' });
      ctx.check('in_sync', res.body.in_sync, true, { code: 'verification_mismatch' });
    }),
    removeSyntheticUsers('remove the synthetic user', ['user']),
    removeTenant(),
  ],
});
