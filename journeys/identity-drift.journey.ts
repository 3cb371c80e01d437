// OP-071 drift reporting: change a tenant user's Keycloak attributes behind the platform's back;
// the verify endpoint must show the red row at once and the reconciliation worker must record
// platform.tenant_user.drift_detected; after the change is undone, verify is green again.
// It edits Keycloak directly, so it never runs against a production target.
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanup, defineJourney, http, idp, login, type HttpResponse, type HttpStep } from '../src/engine/journey.ts';
import type { JourneyContext } from '../src/engine/context.ts';
import { syntheticName } from '../src/engine/identities.ts';

/** How long to wait for the worker: two ticks of its 30 s default interval, and some. */
const WORKER_WAIT_MS = 65_000;
// Short first, since a fast worker is there in a second; then a slow steady pace.
const POLL_DELAYS_MS = [0, 250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000];
const DRIFT_EVENT = 'platform.tenant_user.drift_detected';
/** The drift: an operator quietly made a tenant admin in Keycloak. */
const DRIFTED_ROLE = 'tenant_admin';

// The engine has no conditional steps; cleanup with nothing to remove asks for /healthz instead.
function onlyIf(cond: (ctx: JourneyContext) => boolean, step: HttpStep): HttpStep {
  return {
    ...step,
    request: (ctx) => (cond(ctx) ? step.request(ctx) : { method: 'GET', path: '/healthz' }),
    expect: (ctx) => (cond(ctx) ? (typeof step.expect === 'function' ? step.expect(ctx) : step.expect) ?? { status: 200 } : { status: 200, contract: false }),
    then: (res, ctx) => (cond(ctx) ? step.then?.(res, ctx) : undefined),
  };
}

/** A 422 from the Keycloak path fails with its own code, so `keycloak_unavailable` reads as such. */
function failOnIdpError(res: HttpResponse, ctx: JourneyContext): void {
  if (res.status !== 422) return;
  const code = String(res.body?.code ?? 'identity_provider_failure');
  ctx.fail(code === 'keycloak_verification_failed' ? 'verification_mismatch' : code, `422 ${code}: ${res.body?.detail ?? 'no detail'}`, { expected: '2xx', actual: `422 ${code}` });
}

type Check = { name: string; ok: boolean; expected: unknown; actual: unknown };

const verify = (name: string, then: (checks: Check[], res: HttpResponse, ctx: JourneyContext) => void) =>
  http(name, {
    request: (ctx) => ({ method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users/${encodeURIComponent(ctx.identity('user').username)}/verify`, token: ctx.vars.adminToken }),
    expect: { status: [200, 422], failureCode: 'verify_failed' },
    then: (res, ctx) => {
      failOnIdpError(res, ctx);
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
    login('system admin logs in', { user: (ctx) => ({ username: ctx.target.systemAdmin.username, password: ctx.target.systemAdmin.password.reveal() }), saveAs: 'adminToken' }),
    http('create a tenant', {
      request: (ctx) => ({ method: 'POST', path: '/api/v1/admin/tenants', token: ctx.vars.adminToken, body: { name: `onramp synthetic ${ctx.runId}`, slug: syntheticName(ctx.runId, `${ctx.journeyId}-t`) } }),
      expect: { status: 201, failureCode: 'tenant_create_failed' },
      then: (res, ctx) => void (ctx.vars.tenantId = res.body.id),
    }),
    http('bootstrap a tenant user', {
      request: (ctx) => {
        const u = ctx.identity('user');
        return { method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users`, token: ctx.vars.adminToken, body: { user_id: u.username, display_name: u.displayName, role: 'operator', email: u.email, initial_password: u.password } };
      },
      expect: { status: [201, 422], failureCode: 'bootstrap_failed' },
      then: (res, ctx) => failOnIdpError(res, ctx),
    }),
    verify('verify is in sync before the change', (checks, res, ctx) => {
      ctx.check('red verify rows', checks.filter((c) => !c.ok), [], { code: 'verification_mismatch' });
      ctx.check('in_sync', res.body.in_sync, true, { code: 'verification_mismatch' });
    }),
    idp('change the Keycloak user behind the platform', {
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
      timeoutMs: WORKER_WAIT_MS + 15_000,
      repeat: POLL_DELAYS_MS.length,
      request: async (ctx) => {
        const i = (ctx.vars.poll = (ctx.vars.poll ?? -1) + 1);
        ctx.vars.pollDeadline ??= Date.now() + WORKER_WAIT_MS;
        // No conditional repeat in the engine: once found, the remaining tries go out at once.
        if (!ctx.vars.driftEvent) await sleep(Math.max(0, Math.min(POLL_DELAYS_MS[i]!, ctx.vars.pollDeadline - Date.now())), undefined, { signal: ctx.signal });
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
    cleanup(
      onlyIf(
        (ctx) => !!ctx.vars.tenantId,
        http('remove the synthetic user', {
          request: (ctx) => ({ method: 'DELETE', path: `/api/v1/admin/users/${encodeURIComponent(ctx.identity('user').username)}`, token: ctx.vars.adminToken }),
          expect: { status: [204, 404], failureCode: 'cleanup_failed', contract: false },
        }),
      ),
    ),
    cleanup(
      onlyIf(
        (ctx) => !!ctx.vars.tenantId,
        http('remove the tenant', {
          request: (ctx) => ({ method: 'DELETE', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}`, token: ctx.vars.adminToken }),
          expect: { status: [204, 404], failureCode: 'cleanup_failed', contract: false },
        }),
      ),
    ),
  ],
});
