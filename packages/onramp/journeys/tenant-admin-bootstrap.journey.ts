// OP-071 tenant-admin bootstrap as a system admin does it: create a tenant, probe the rules that
// must refuse a user (required fields, weak passwords, "create without Keycloak"), bootstrap the
// tenant admin, and follow the evidence: verification rows, the user.create audit row under the
// same correlation id, Keycloak's user itself, verify, and finally the admin's own session.
import { isDeepStrictEqual } from 'node:util';
import { db, defineJourney, http, idp, idpFailure, login, checkAuditRow, checkErrorEnvelope, checkSessionUser, syntheticName, type HttpResponse, type JourneyContext, type StepFailureCode } from 'onramp';
import { ANY_STATUS, createSyntheticTenant, removeSyntheticUsers, removeTenant, syntheticTenantSlug, systemAdminLogin, tenantUserBody } from 'onramp/steps';

/**
 * A 422 from the Keycloak path fails with the row its code means; red verification rows are the
 * runbook's `verification_mismatch`. Unlike the engine's `failOnIdpError`, the red rows go into `actual`.
 */
function failOnIdpErrorWithRedRows(res: HttpResponse, ctx: JourneyContext): void {
  const f = idpFailure(res, 201);
  if (!f) return;
  const red = (res.body?.checks ?? res.body?.verification?.checks ?? []).filter((c: { ok: boolean }) => !c.ok);
  ctx.fail(f.code, f.message, { expected: f.expected, actual: red.length ? { ...(f.actual as object), red_rows: red } : f.actual });
}

/** A tenant-admin body the platform must accept, for the identity with this label. */
const userBody = (ctx: JourneyContext, label: string) => tenantUserBody(ctx, label, 'tenant_admin');

interface Probe {
  name: string;
  /** The symptom if the platform takes it. */
  code: StepFailureCode;
  body(ctx: JourneyContext): Record<string, unknown>;
}

const REQUIRED = ['user_id', 'display_name', 'role', 'email', 'initial_password'] as const;
const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const withPassword = (password: (ctx: JourneyContext) => string) => (name: string): Probe => ({
  name,
  code: 'weak_password_accepted',
  body: (ctx) => ({ ...userBody(ctx, `probe-${name}`), initial_password: password(ctx) }),
});

// One probe per rule; each body is valid except for the one thing the rule forbids.
const PROBES: Probe[] = [
  ...REQUIRED.map((field): Probe => ({ name: `missing-${field}`, code: 'required_field_not_enforced', body: (ctx) => without(userBody(ctx, `probe-missing-${field}`), field) })),
  withPassword(() => 'Sh0rt!pw')('weak-length'),
  withPassword(() => 'no-upper-case-1!')('weak-uppercase'),
  withPassword(() => 'NO-LOWER-CASE-1!')('weak-lowercase'),
  withPassword(() => 'No-Digits-Here!x')('weak-digit'),
  withPassword(() => 'NoSymbolsHere1234')('weak-symbol'),
  withPassword((ctx) => `X1!${syntheticTenantSlug(ctx)}`)('weak-tenant-term'),
  ...[{ skip_keycloak: true }, { keycloak: false }, { create_without_keycloak: true }].map((option): Probe => ({
    name: `option-${Object.keys(option)[0]}`,
    code: 'created_without_keycloak',
    body: (ctx) => ({ ...userBody(ctx, `probe-option-${Object.keys(option)[0]}`), ...option }),
  })),
];
// Probes that name a user_id: the users cleanup removes in case a probe was wrongly accepted.
const PROBE_USER_LABELS = PROBES.filter((p) => p.name !== 'missing-user_id').map((p) => `probe-${p.name}`);

export default defineJourney({
  id: 'tenant-admin-bootstrap',
  title: 'System admin bootstraps a tenant admin through Keycloak, with evidence',
  tags: ['api', 'tenant-admin', 'keycloak'],
  timeoutMs: 60_000,
  steps: [
    systemAdminLogin(),
    createSyntheticTenant((res, ctx) => {
      ctx.vars.tenantOrgId = res.body.org_id;
      ctx.vars.tenantProjectId = res.body.default_project_id;
    }),
    http('every rule refuses its probe', {
      id: 'rules-refuse-probes',
      repeat: PROBES.length,
      request: (ctx) => {
        const probe = PROBES[(ctx.vars.probe = (ctx.vars.probe ?? -1) + 1)]!;
        return { method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users`, token: ctx.vars.adminToken, body: probe.body(ctx) };
      },
      expect: { status: ANY_STATUS },
      then: (res, ctx) => {
        const probe = PROBES[ctx.vars.probe]!;
        ctx.check(`probe ${probe.name}`, `${res.status} ${res.body?.code}`, '400 invalid_request', { code: probe.code });
        checkErrorEnvelope(res, ctx);
      },
    }),
    idp('rejected probes left no Keycloak user', {
      id: 'no-user-from-probes',
      run: async (kc, ctx) => {
        const prefix = syntheticName(ctx.runId, `${ctx.journeyId}-probe`);
        const left = (await kc.users.find({ username: prefix, max: 100 })).map((u) => u.username);
        ctx.check('Keycloak users of rejected probes', left, [], { code: 'rejected_user_left_in_keycloak' });
      },
    }),
    http('bootstrap the tenant admin', {
      id: 'bootstrap-tenant-admin',
      request: (ctx) => {
        ctx.vars.adminUserId = ctx.identity('admin').username;
        return { method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users`, token: ctx.vars.adminToken, body: userBody(ctx, 'admin') };
      },
      expect: { status: [201, 422], failureCode: 'bootstrap_failed' },
      then: (res, ctx) => {
        failOnIdpErrorWithRedRows(res, ctx);
        ctx.vars.createCorrelationId = res.correlationId;
        ctx.vars.evidence = res.body?.verification;
        ctx.assert('user.idp_subject', typeof res.body?.user?.idp_subject === 'string' && res.body.user.idp_subject !== '', { actual: res.body?.user?.idp_subject, expected: 'the Keycloak user id', code: 'created_without_keycloak' });
        const checks: { name: string; ok: boolean }[] = res.body?.verification?.checks ?? [];
        ctx.assert('verification evidence', checks.length > 0, { actual: res.body?.verification, expected: 'a list of checks', code: 'verification_evidence_missing' });
        ctx.check('red verification rows', checks.filter((c) => !c.ok), [], { code: 'verification_mismatch' });
        ctx.check('verification.ok', res.body.verification.ok, true, { code: 'verification_mismatch' });
        const names = checks.map((c) => c.name);
        for (const n of ['exists', 'email', 'enabled', 'attributes.platform_user_id', 'attributes.tenant_id', 'temporary_password_pending']) {
          ctx.assert(`verification checks "${n}"`, names.includes(n), { actual: names, expected: `includes ${n}`, code: 'verification_evidence_missing' });
        }
        ctx.check('role', res.body.role, 'tenant_admin', { code: 'bootstrap_incomplete' });
        ctx.check('tenant_id', res.body.tenant_id, ctx.vars.tenantId, { code: 'bootstrap_incomplete' });
      },
    }),
    http('user.create audit row has the same correlation id', {
      id: 'audit-row-correlation',
      request: (ctx) => ({ method: 'GET', path: `/api/v1/admin/audit?correlation_id=${encodeURIComponent(ctx.vars.createCorrelationId)}`, token: ctx.vars.adminToken }),
      expect: { status: 200, failureCode: 'audit_unavailable' },
      then: (res, ctx) => {
        // Only a row under the bootstrap's own correlation id is its evidence, whatever the lookup returns.
        const row = checkAuditRow(res, ctx, { action: 'user.create', targetId: ctx.vars.adminUserId, correlationId: ctx.vars.createCorrelationId });
        // The audit payload keeps the evidence the UI showed, as the rows or the whole table.
        const stored = row.payload.verification;
        ctx.assert('audit payload holds the verification evidence', isDeepStrictEqual(stored, ctx.vars.evidence.checks) || isDeepStrictEqual(stored, ctx.vars.evidence), { actual: stored, expected: ctx.vars.evidence.checks, code: 'audit_evidence_missing' });
      },
    }),
    db('memberships and user row committed', {
      id: 'memberships-committed',
      run: async (q, ctx) => {
        ctx.recorder.correlationId = ctx.vars.createCorrelationId;
        const [user] = await q<{ org_id: string; idp_subject: string | null }>('SELECT org_id, idp_subject FROM platform.users WHERE id = $1', [ctx.vars.adminUserId]);
        ctx.check('users.org_id', user?.org_id, ctx.vars.tenantOrgId, { code: 'bootstrap_incomplete' });
        const tenantRoles = await q<{ role: string }>('SELECT role FROM platform.tenant_memberships WHERE user_id = $1 AND tenant_id = $2 AND deleted_at IS NULL', [ctx.vars.adminUserId, ctx.vars.tenantId]);
        ctx.check('active tenant memberships', tenantRoles.map((r) => r.role), ['tenant_admin'], { code: 'membership_missing' });
        const projectRows = await q<{ role: string }>('SELECT role FROM platform.project_memberships WHERE user_id = $1 AND project_id = $2 AND deleted_at IS NULL', [ctx.vars.adminUserId, ctx.vars.tenantProjectId]);
        ctx.check('active default-project memberships', projectRows.length, 1, { code: 'membership_missing' });
        const probeRows = await q<{ id: string }>('SELECT id FROM platform.users WHERE id LIKE $1', [`${syntheticName(ctx.runId, `${ctx.journeyId}-probe`)}%`]);
        ctx.check('platform users of rejected probes', probeRows.map((r) => r.id), [], { code: 'rejected_user_left_in_platform' });
      },
    }),
    idp('Keycloak holds the user the platform made', {
      id: 'keycloak-user-matches',
      run: async (kc, ctx) => {
        ctx.recorder.correlationId = ctx.vars.createCorrelationId;
        const me = ctx.identity('admin');
        const [u, ...more] = await kc.users.find({ username: me.username, exact: true });
        ctx.assert('Keycloak user exists', u !== undefined && more.length === 0, { actual: u ? 1 + more.length : 0, expected: 1, code: 'created_without_keycloak' });
        ctx.vars.kcId = u!.id;
        const attr = (name: string) => (u!.attributes?.[name] as string[] | undefined)?.join(',');
        ctx.check('enabled', u!.enabled, true, { code: 'verification_mismatch' });
        ctx.check('email', u!.email?.toLowerCase(), me.email.toLowerCase(), { code: 'verification_mismatch' });
        ctx.check('attributes.platform_user_id', attr('platform_user_id'), me.username, { code: 'verification_mismatch' });
        ctx.check('attributes.tenant_id', attr('tenant_id'), ctx.vars.tenantId, { code: 'verification_mismatch' });
        ctx.check('attributes.org_id', attr('org_id'), ctx.vars.tenantOrgId, { code: 'verification_mismatch' });
        ctx.check('attributes.platform_role', attr('platform_role'), 'tenant_admin', { code: 'verification_mismatch' });
        ctx.assert('temporary password pending', (u!.requiredActions ?? []).includes('UPDATE_PASSWORD'), { actual: u!.requiredActions, expected: 'includes UPDATE_PASSWORD', code: 'temporary_password_not_pending' });
      },
    }),
    http('verify reports in sync', {
      id: 'verify-in-sync',
      request: (ctx) => ({ method: 'POST', path: `/api/v1/admin/tenants/${ctx.vars.tenantId}/users/${encodeURIComponent(ctx.vars.adminUserId)}/verify`, token: ctx.vars.adminToken }),
      expect: { status: [200, 422], failureCode: 'verify_failed' },
      then: (res, ctx) => {
        failOnIdpErrorWithRedRows(res, ctx);
        ctx.check('red verify rows', (res.body.checks ?? []).filter((c: { ok: boolean }) => !c.ok), [], { code: 'verification_mismatch' });
        ctx.check('in_sync', res.body.in_sync, true, { code: 'verification_mismatch' });
      },
    }),
    idp('set a permanent password, as the first login would', {
      id: 'set-permanent-password',
      run: async (kc, ctx) => {
        await kc.users.resetPassword({ id: ctx.vars.kcId, credential: { type: 'password', value: ctx.identity('admin').password, temporary: false } });
      },
    }),
    login('new tenant admin logs in', { user: (ctx) => ({ username: ctx.identity('admin').username, password: ctx.identity('admin').password }), saveAs: 'userToken' }),
    http('session says tenant_admin of the new tenant', {
      id: 'session-role',
      request: (ctx) => ({ method: 'GET', path: '/api/v1/session', token: ctx.vars.userToken }),
      expect: { status: 200, failureCode: 'session_unavailable' },
      then: (res, ctx) => {
        checkSessionUser(res, ctx, { userId: ctx.vars.adminUserId, email: ctx.identity('admin').email, token: ctx.vars.userToken, subject: ctx.vars.kcId });
        ctx.check('session tenant_id', res.body?.tenant_id, ctx.vars.tenantId, { code: 'session_partial' });
        ctx.check('session role', res.body?.role, 'tenant_admin', { code: 'session_role_fallback' });
        ctx.check('session project_id (the tenant default project)', res.body?.project_id, ctx.vars.tenantProjectId, { code: 'membership_missing' });
      },
    }),
    removeSyntheticUsers('remove the synthetic users', ['admin', ...PROBE_USER_LABELS]),
    removeTenant(),
  ],
});
