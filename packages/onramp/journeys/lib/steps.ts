// Building blocks the journeys share: the system admin's login, a synthetic tenant with its users,
// and the cleanup that removes them. Step names, failure codes and checks are what reports and the
// fault table key on, so each helper keeps them exactly as the journeys had them.
// Not a journey: the loader only picks up `*.journey.ts`.
import { failOnIdpError, cleanup, http, idp, login, syntheticName, type HttpExpectation, type HttpResponse, type HttpStep, type IdpStep, type JourneyContext } from 'onramp';

type Condition = (ctx: JourneyContext) => boolean;

/** Every HTTP status, for `expect` when `then` sorts the answers into named failures itself. */
export const ANY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);

/** Cleanup removes; judging the platform's envelopes is for the steps before it. */
const cleanupExpect = (): HttpExpectation => ({ status: [204, 404], failureCode: 'cleanup_failed', contract: false });

/** A tenant was created (`ctx.vars.tenantId`): there is a tenant and its users to remove. */
export const tenantCreated: Condition = (ctx) => !!ctx.vars.tenantId;

/** A user signed up (`ctx.vars.userId`): there is a user, and with it its personal tenant, to remove. */
export const userSignedUp: Condition = (ctx) => !!ctx.vars.userId;

/** Logs the target's system admin in (`login_failed`); the token goes to `ctx.vars.adminToken`. */
export const systemAdminLogin = (name = 'system admin logs in', o: { when?: Condition } = {}): HttpStep =>
  login(name, { user: (ctx) => ({ username: ctx.target.systemAdmin.username, password: ctx.target.systemAdmin.password.reveal() }), saveAs: 'adminToken', ...o });

/** The system admin's login as a cleanup step, run only when there is something to remove. */
export const cleanupAdminLogin = (when: Condition): HttpStep => cleanup(systemAdminLogin('system admin logs in for cleanup', { when }));

/** The slug of the journey's synthetic tenant: a synthetic name, so `onramp sweep` finds leftovers. */
export const syntheticTenantSlug = (ctx: JourneyContext): string => syntheticName(ctx.runId, `${ctx.journeyId}-t`);

/**
 * "create a tenant" (`tenant_create_failed`) as the system admin; its id goes to `ctx.vars.tenantId`
 * first, then `then` (if any) reads more of the answer.
 */
export const createSyntheticTenant = (then?: (res: HttpResponse, ctx: JourneyContext) => void): HttpStep =>
  http('create a tenant', {
    request: (ctx) => ({ method: 'POST', path: '/api/v1/admin/tenants', token: ctx.vars.adminToken, body: { name: `onramp synthetic ${ctx.runId}`, slug: syntheticTenantSlug(ctx) } }),
    expect: { status: 201, failureCode: 'tenant_create_failed' },
    then: (res, ctx) => {
      ctx.vars.tenantId = res.body.id;
      then?.(res, ctx);
    },
  });

/** A tenant-user body the platform must accept, for the identity with this label. */
export function tenantUserBody(ctx: JourneyContext, label: string, role: string): Record<string, unknown> {
  const u = ctx.identity(label);
  return { user_id: u.username, display_name: u.displayName, role, email: u.email, initial_password: u.password };
}

/**
 * Bootstraps the identity with this label as a user of `ctx.vars.tenantId` (`bootstrap_failed`),
 * as the system admin. By default a 422 fails with the Keycloak path's own code (`failOnIdpError`
 * with `expected`); a `then` replaces that.
 */
export const bootstrapTenantUser = (name: string, o: { label: string; role: string; expected?: unknown; then?: HttpStep['then'] }): HttpStep =>
  http(name, {
    request: (ctx) => ({ method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users`, token: ctx.vars.adminToken, body: tenantUserBody(ctx, o.label, o.role) }),
    expect: { status: [201, 422], failureCode: 'bootstrap_failed' },
    then: o.then ?? ((res, ctx) => failOnIdpError(res, ctx, o.expected)),
  });

/**
 * Gives bootstrapped users a permanent password in Keycloak, as their first logins would, so they
 * can log in with the direct grant. A user missing from Keycloak is `created_without_keycloak`.
 */
export const setPermanentPasswords = (name: string, labels: string[]): IdpStep =>
  idp(name, {
    run: async (kc, ctx) => {
      for (const label of labels) {
        const u = ctx.identity(label);
        const [found] = await kc.users.find({ username: u.username, exact: true });
        ctx.assert(`Keycloak user ${label}`, found !== undefined, { actual: 'missing', expected: u.username, code: 'created_without_keycloak' });
        await kc.users.resetPassword({ id: found!.id!, credential: { type: 'password', value: u.password, temporary: false } });
      }
    },
  });

/**
 * Cleanup (`cleanup_failed`, 404 counts as gone): removes users, one request per id, when `when` holds.
 * The hard removal, `DELETE /api/v1/admin/users/{id}`: tenant-user removal only soft-deletes
 * memberships and would leave the user row behind.
 */
export const removeUsers = (name: string, userIds: ((ctx: JourneyContext) => string)[], when: Condition): HttpStep =>
  cleanup(
    http(name, {
      when,
      ...(userIds.length > 1 ? { repeat: userIds.length } : {}),
      request: (ctx) => {
        const id = userIds.length > 1 ? userIds[(ctx.vars.removed = (ctx.vars.removed ?? -1) + 1)]! : userIds[0]!;
        return { method: 'DELETE', path: `/api/v1/admin/users/${encodeURIComponent(id(ctx))}`, token: ctx.vars.adminToken };
      },
      expect: cleanupExpect(),
    }),
  );

/** Cleanup: removes the synthetic users with these identity labels, when a tenant was created. */
export const removeSyntheticUsers = (name: string, labels: string[]): HttpStep =>
  removeUsers(
    name,
    labels.map((label) => (ctx: JourneyContext) => ctx.identity(label).username),
    tenantCreated,
  );

/** Cleanup: removes the signed-up user (`ctx.vars.userId`) and with it its personal tenant. */
export const removeSignedUpUser = (name: string): HttpStep => removeUsers(name, [(ctx) => ctx.vars.userId], userSignedUp);

/** Cleanup: "remove the tenant" (`ctx.vars.tenantId`), when one was created; after its users. */
export const removeTenant = (): HttpStep =>
  cleanup(
    http('remove the tenant', {
      when: tenantCreated,
      request: (ctx) => ({ method: 'DELETE', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}`, token: ctx.vars.adminToken }),
      expect: cleanupExpect(),
    }),
  );
