// Tenant user bootstrap (OP-071): validate -> password policy -> Keycloak user -> read back and
// verify -> only then the SQL user, memberships and audit row, in one transaction. Whatever fails
// after the Keycloak user exists removes that user again, so neither store keeps half a user.
// Also: verify (drift report now) and removal.
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import type { PlatformContext } from '../context.ts';
import { conflict, IDP_FAILURES, invalidRequest, notFound } from '../http/errors.ts';
import { inTransaction, isUniqueViolation } from '../db.ts';
import { callKeycloak, keycloakAdmin, keycloakStatus } from '../keycloak.ts';
import { checkPassword } from '../password-policy.ts';
import { getTenantUser, insertTenantUser, removeTenantUser, takenIdentifier, TENANT_USER_ROLES, type Tenant, type TenantUserRole } from '../repo/tenants.ts';
import { writeAudit } from '../repo/audit-write.ts';
import { compareKeycloakUser, expectedFromRecord, inSync, platformAttributes, readKeycloakUser, reportedDrift, type Check, type ExpectedKeycloakUser } from '../verification.ts';
import { removeKeycloakUser } from '../worker.ts';
import { rejectFields, requireSystemAdmin, tenantFromPath, type FieldProblem } from './tenants.ts';

interface TenantUserInput {
  user_id: string;
  display_name: string;
  role: TenantUserRole;
  email: string;
  initial_password: string;
}

interface ParsedTenantUser {
  input: TenantUserInput;
  problems: FieldProblem[];
  /** The "create without Keycloak" option that was sent, if any; honoured only under a fault. */
  withoutKeycloak?: string;
}

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Any field that would let a tenant user skip Keycloak, in the spellings clients have used.
const WITHOUT_KEYCLOAK = /keycloak|(^|[_-])idp($|[_-])|sql[_-]?only/i;

function parseTenantUser(body: Record<string, unknown>): ParsedTenantUser {
  const problems: FieldProblem[] = [];
  const text = (field: string, extra?: (v: string) => string | undefined): string => {
    const v = body[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) problems.push({ field, message: 'is required' });
    else if (typeof v !== 'string') problems.push({ field, message: 'must be a string' });
    else {
      const p = extra?.(v);
      if (p) problems.push({ field, message: p });
      return v;
    }
    return '';
  };
  const userId = text('user_id', (v) => (USER_ID.test(v) ? undefined : 'must be 1-128 letters, digits, ".", "_", "@" or "-", starting with a letter or digit'));
  const displayName = text('display_name', (v) => (v.trim().length > 255 ? 'must be at most 255 characters' : undefined));
  const role = text('role', (v) => ((TENANT_USER_ROLES as readonly string[]).includes(v) ? undefined : `must be one of ${TENANT_USER_ROLES.join(', ')}`));
  const email = text('email', (v) => (EMAIL.test(v.trim()) ? undefined : 'must be an email address'));
  // The password is taken as sent: trimming would change what the user has to type.
  const password = text('initial_password');
  const options = Object.keys(body).filter((k) => WITHOUT_KEYCLOAK.test(k));
  for (const field of options) {
    problems.push({ field, message: 'is not accepted: tenant users (tenant_admin, operator, auditor) are always created in Keycloak first' });
  }
  return {
    input: { user_id: userId, display_name: displayName.trim(), role: role as TenantUserRole, email: email.trim(), initial_password: password },
    problems,
    withoutKeycloak: options[0],
  };
}

/** Keycloak has firstName and lastName; the platform has one display name. */
function nameParts(displayName: string): { firstName: string; lastName?: string } {
  const [first, ...rest] = displayName.split(/\s+/);
  return { firstName: first!, ...(rest.length ? { lastName: rest.join(' ') } : {}) };
}

const create: ApiHandler = async (r) => {
  const actor = await requireSystemAdmin(r);
  const ctx = r.platform;
  const body = await r.json();
  const { input, problems, withoutKeycloak } = parseTenantUser(body);
  // The fault reproduces the pre-OP-071 API that still took the option.
  const honourWithoutKeycloak = withoutKeycloak !== undefined && ctx.faults.isOn('create_without_keycloak_allowed') && optionSaysSkip(body, withoutKeycloak);
  rejectFields(honourWithoutKeycloak ? problems.filter((p) => p.field !== withoutKeycloak) : problems, 'Invalid tenant user');
  const tenant = await tenantFromPath(r);

  if (!ctx.faults.isOn('weak_password_accepted')) {
    const violations = checkPassword(input.initial_password, [tenant.slug, tenant.name]);
    if (violations.length) {
      throw invalidRequest(`initial_password violates the password policy: ${violations.map((v) => v.message).join('; ')}.`, { field: 'initial_password', violations });
    }
  }
  await assertIdentifiersFree(ctx, input);

  const expected: ExpectedKeycloakUser = { userId: input.user_id, email: input.email, tenantId: tenant.id, orgId: tenant.org_id, role: input.role };
  if (honourWithoutKeycloak) {
    await commit(r, actor.userId, tenant, input, null, []);
    return created(tenant, input, null, []);
  }

  const kc = await keycloakAdmin(ctx);
  const subject = await createKeycloakUser(ctx, kc, input, expected);
  const undo = (reason: string) => removeKeycloakUser(ctx, kc, { subject, userId: input.user_id, reason, correlationId: r.correlationId });
  let checks: Check[];
  try {
    checks = compareKeycloakUser(expected, await readKeycloakUser(ctx, kc, subject), 'bootstrap');
  } catch (err) {
    await undo('read-back failed');
    throw err;
  }
  if (!inSync(checks)) {
    await undo('verification failed');
    await writeAudit(ctx.pool, { action: 'user.create_failed', actorId: actor.userId, targetId: input.user_id, tenantId: tenant.id, correlationId: r.correlationId, payload: { verification: checks, role: input.role, email: input.email } });
    throw IDP_FAILURES.keycloak_verification_failed({ user_id: input.user_id, tenant_id: tenant.id, verification: { ok: false, checks }, checks });
  }
  try {
    await commit(r, actor.userId, tenant, input, subject, checks);
  } catch (err) {
    await undo('platform commit failed');
    if (isUniqueViolation(err)) throw userExists(input);
    throw err;
  }
  return created(tenant, input, subject, checks);
};

/** A skip option only counts when it asks to skip: `skip_keycloak: true`, `keycloak: false`. */
function optionSaysSkip(body: Record<string, unknown>, field: string): boolean {
  const v = body[field];
  return /^keycloak$|enabled|bootstrap/i.test(field) ? v === false || v === 'false' : v === true || v === 'true';
}

const userExists = (input: TenantUserInput) => conflict('user_exists', `A user with user_id "${input.user_id}" or email "${input.email}" already exists.`);

async function assertIdentifiersFree(ctx: PlatformContext, input: TenantUserInput): Promise<void> {
  const taken = await takenIdentifier(ctx.pool, input.user_id, input.email);
  if (taken) throw conflict('user_exists', taken === 'user_id' ? `A user with user_id "${input.user_id}" already exists.` : `A user with email "${input.email}" already exists.`);
}

async function createKeycloakUser(ctx: PlatformContext, kc: KcAdminClient, input: TenantUserInput, expected: ExpectedKeycloakUser): Promise<string> {
  const attributes = platformAttributes(expected);
  // The fault stands for a realm mapper or admin config that writes a wrong tenant.
  if (ctx.faults.isOn('keycloak_attribute_mismatch')) attributes.tenant_id = '00000000-0000-4000-8000-00000000dead';
  try {
    const { id } = await callKeycloak(ctx, 'create user', () =>
      kc.users.create({
        username: input.user_id,
        email: input.email,
        ...nameParts(input.display_name),
        enabled: true,
        attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, [v]])),
        // Temporary: Keycloak makes the user choose a new password at first login.
        credentials: [{ type: 'password', value: input.initial_password, temporary: true }],
      }),
    );
    return id;
  } catch (err) {
    const status = keycloakStatus(err);
    // A 409 is the loser of a race or a leftover Keycloak user: either way not ours to delete.
    if (status === 409) throw conflict('user_exists', `Keycloak already has a user with username "${input.user_id.toLowerCase()}" or email "${input.email}".`);
    if (status === 400) {
      const kcBody = (err as { responseData?: unknown }).responseData;
      throw invalidRequest(`Keycloak refused the user: ${describeKeycloakError(kcBody)}`, { keycloak: kcBody ?? null });
    }
    throw err;
  }
}

function describeKeycloakError(body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  return String(b.error_description ?? b.errorMessage ?? b.error ?? 'no reason given');
}

async function commit(r: ApiRequest, actorId: string, tenant: Tenant, input: TenantUserInput, subject: string | null, checks: Check[]): Promise<void> {
  const faults = r.platform.faults;
  await inTransaction(r.platform.pool, async (db) => {
    await insertTenantUser(db, {
      userId: input.user_id,
      orgId: tenant.org_id,
      email: input.email,
      displayName: input.display_name,
      idpSubject: subject,
      tenantId: tenant.id,
      role: input.role,
      defaultProjectId: faults.isOn('admin_user_missing_project_membership') ? null : tenant.default_project_id,
    });
    await writeAudit(db, {
      action: 'user.create',
      actorId,
      targetId: input.user_id,
      tenantId: tenant.id,
      correlationId: faults.isOn('audit_missing_correlation') ? null : r.correlationId,
      payload: { verification: checks, role: input.role, email: input.email, idp_subject: subject, ...(subject ? {} : { keycloak: 'skipped' }) },
    });
  });
}

function created(tenant: Tenant, input: TenantUserInput, subject: string | null, checks: Check[]) {
  return {
    status: 201,
    body: {
      user: { id: input.user_id, org_id: tenant.org_id, email: input.email, display_name: input.display_name, idp_subject: subject },
      tenant_id: tenant.id,
      role: input.role,
      verification: { ok: inSync(checks), checks },
    },
  };
}

const verify: ApiHandler = async (r) => {
  const actor = await requireSystemAdmin(r);
  const ctx = r.platform;
  const tenant = await tenantFromPath(r);
  const user = await getTenantUser(ctx.pool, tenant.id, r.params.user_id!);
  if (!user) throw notFound(`User ${r.params.user_id} in tenant ${tenant.id}`);
  const kc = await keycloakAdmin(ctx);
  const state = user.idp_subject ? await readKeycloakUser(ctx, kc, user.idp_subject) : { user: null, hasPassword: false };
  const checks = reportedDrift(ctx, compareKeycloakUser(expectedFromRecord(user), state, 'drift'));
  const inSyncNow = inSync(checks);
  await writeAudit(ctx.pool, { action: 'user.verify', actorId: actor.userId, targetId: user.user_id, tenantId: tenant.id, correlationId: r.correlationId, payload: { in_sync: inSyncNow, checks } });
  return { status: 200, body: { user_id: user.user_id, tenant_id: tenant.id, in_sync: inSyncNow, checks } };
};

const remove: ApiHandler = async (r) => {
  const actor = await requireSystemAdmin(r);
  const tenant = await tenantFromPath(r);
  const userId = r.params.user_id!;
  const out = await inTransaction(r.platform.pool, async (db) => {
    const removed = await removeTenantUser(db, tenant.id, userId);
    if (!removed) throw notFound(`User ${userId} in tenant ${tenant.id}`);
    await writeAudit(db, { action: 'user.remove', actorId: actor.userId, targetId: userId, tenantId: tenant.id, correlationId: r.correlationId, payload: { keycloak_user_removed: Boolean(removed.orphaned) } });
    return removed;
  });
  if (out.orphaned) await removeKeycloakUser(r.platform, undefined, { subject: out.orphaned.idp_subject, userId, reason: 'user.remove', correlationId: r.correlationId });
  return { status: 204 };
};

export function registerTenantUsers(router: Router<ApiHandler>): void {
  router.add('POST', '/api/v1/admin/tenants/:tenant_id/users', create);
  router.add('POST', '/api/v1/admin/tenants/:tenant_id/users/:user_id/verify', verify);
  router.add('DELETE', '/api/v1/admin/tenants/:tenant_id/users/:user_id', remove);
}
