// POST /api/v1/auth/personal/signup (runbook, "Signup path"). Order: validate every field ->
// platform password policy -> Keycloak user -> one SQL unit of work. Keycloak comes first because
// the platform user needs its idp_subject; when the SQL part fails the Keycloak user is deleted
// again, so a failed signup leaves nothing behind on either side.
import { randomUUID } from 'node:crypto';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { Router } from '../http/router.ts';
import type { ApiHandler, ApiRequest } from '../http/request.ts';
import { conflict, invalidRequest } from '../http/errors.ts';
import { inTransaction, isUniqueViolation } from '../db.ts';
import { callKeycloak, keycloakAdmin, keycloakStatus } from '../keycloak.ts';
import { checkPassword } from '../password-policy.ts';
import { emailTaken } from '../repo/users.ts';
import { bootstrapPersonalUser, freeTenantSlug, slugBase, type PersonalSignup } from '../repo/personal-bootstrap.ts';

export interface FieldProblem {
  field: string;
  message: string;
  /** Password policy rules that failed, for clients that point at each one. */
  rules?: string[];
}

interface SignupInput {
  email: string;
  password: string;
  displayName: string;
}

// Deliberately plain: one @, no spaces, a dot in the domain. Keycloak's own email validator has
// the last word; this only catches what is certainly not an address.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** Every problem with the body at once, so a form can mark all bad fields in one round trip. */
export function validateSignup(body: Record<string, unknown>, skipPolicy: boolean): { input?: SignupInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const { email, password, display_name: displayName } = body;

  if (email === undefined || email === null || email === '') problems.push({ field: 'email', message: 'is required' });
  else if (typeof email !== 'string') problems.push({ field: 'email', message: 'must be a string' });
  else if (email.trim().length > 254 || !EMAIL_RE.test(email.trim())) problems.push({ field: 'email', message: 'must be an email address' });

  if (password === undefined || password === null || password === '') problems.push({ field: 'password', message: 'is required' });
  else if (typeof password !== 'string') problems.push({ field: 'password', message: 'must be a string' });
  else if (!skipPolicy) {
    // The personal tenant's slug comes from the email, so it is the tenant term the policy forbids.
    const terms = typeof email === 'string' && EMAIL_RE.test(email.trim()) ? [slugBase(email.trim())] : [];
    const violations = checkPassword(password, terms);
    if (violations.length) problems.push({ field: 'password', message: violations.map((v) => v.message).join('; '), rules: violations.map((v) => v.rule) });
  }

  if (displayName === undefined || displayName === null || displayName === '') problems.push({ field: 'display_name', message: 'is required' });
  else if (typeof displayName !== 'string') problems.push({ field: 'display_name', message: 'must be a string' });
  else if (!displayName.trim()) problems.push({ field: 'display_name', message: 'must not be blank' });
  else if (displayName.trim().length > 100) problems.push({ field: 'display_name', message: 'must be at most 100 characters' });
  else if (CONTROL_RE.test(displayName)) problems.push({ field: 'display_name', message: 'must not contain control characters' });

  if (problems.length) return { problems };
  return { problems, input: { email: (email as string).trim().toLowerCase(), password: password as string, displayName: (displayName as string).trim() } };
}

const fieldsError = (problems: FieldProblem[]) =>
  invalidRequest(`Invalid signup request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, { fields: problems });

const emailTakenError = () => conflict('email_taken', 'An account with this email already exists.');

async function createKeycloakUser(r: ApiRequest, kc: KcAdminClient, s: PersonalSignup, password: string): Promise<string> {
  try {
    const { id } = await callKeycloak(r.platform, 'create user', () =>
      kc.users.create({
        username: s.email,
        email: s.email,
        firstName: s.displayName,
        enabled: true,
        emailVerified: true,
        credentials: [{ type: 'password', value: password, temporary: false }],
        attributes: { platform_user_id: [s.userId], org_id: [s.orgId], tenant_id: [s.tenantId], platform_role: ['tenant_admin'] },
      }),
    );
    return id;
  } catch (err) {
    const status = keycloakStatus(err);
    if (status === 409) throw emailTakenError();
    const data = (err as { responseData?: { error?: string; error_description?: string; errorMessage?: string } }).responseData;
    if (status === 400 && data?.error?.startsWith('invalidPassword')) {
      throw fieldsError([{ field: 'password', message: `rejected by the identity provider's password policy: ${data.error_description ?? data.error}`, rules: [data.error] }]);
    }
    if (status === 400) throw invalidRequest(`The identity provider refused the user: ${data?.errorMessage ?? data?.error_description ?? data?.error ?? 'HTTP 400'}.`, { keycloak: data });
    throw err;
  }
}

/** Compensation: the Keycloak user of a signup whose SQL part failed must not outlive it. */
async function removeKeycloakUser(r: ApiRequest, kc: KcAdminClient, id: string): Promise<void> {
  try {
    await callKeycloak(r.platform, 'delete user (signup compensation)', () => kc.users.del({ id }));
  } catch (err) {
    if (keycloakStatus(err) === 404) return;
    r.platform.log.error({ service: r.platform.service, correlation_id: r.correlationId, idp_subject: id, err: (err as Error).message }, 'signup compensation failed: Keycloak user left behind');
  }
}

const signup: ApiHandler = async (r) => {
  const ctx = r.platform;
  const { input, problems } = validateSignup(await r.json(), ctx.faults.isOn('weak_password_accepted'));
  if (!input) throw fieldsError(problems);
  if (await emailTaken(ctx.pool, input.email)) throw emailTakenError();

  const kc = await keycloakAdmin(ctx);
  const s: PersonalSignup = {
    orgId: randomUUID(), tenantId: randomUUID(), projectId: randomUUID(), userId: randomUUID(),
    email: input.email, displayName: input.displayName, idpSubject: '', tenantSlug: '', correlationId: r.correlationId,
  };
  s.idpSubject = await createKeycloakUser(r, kc, s, input.password);

  let result;
  try {
    // A concurrent signup may take the derived slug or posix name between lookup and insert: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        result = await inTransaction(ctx.pool, async (db) => bootstrapPersonalUser(db, { ...s, tenantSlug: await freeTenantSlug(db, s.email) }, ctx.faults));
        break;
      } catch (err) {
        if (attempt < 3 && (isUniqueViolation(err, 'tenants_slug_key') || isUniqueViolation(err, 'user_posix_identities_username_key'))) continue;
        throw err;
      }
    }
  } catch (err) {
    await removeKeycloakUser(r, kc, s.idpSubject);
    if (isUniqueViolation(err, 'users_email_key')) throw emailTakenError();
    throw err;
  }

  return {
    status: 201,
    body: {
      org_id: s.orgId,
      user: { id: s.userId, email: s.email, display_name: s.displayName },
      tenant_id: s.tenantId,
      project_id: result.defaultProjectId,
      role: 'tenant_admin',
    },
  };
};

export function registerSignup(router: Router<ApiHandler>): void {
  router.add('POST', '/api/v1/auth/personal/signup', signup);
}
