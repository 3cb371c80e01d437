// The evidence that a platform tenant user and its Keycloak user agree: one check per fact, each
// with what the platform expects and what Keycloak holds, so a mismatch reads as a red row.
// Bootstrap verifies a freshly created user (temporary password still pending); drift checks
// (verify endpoint, worker) leave that out, since a user who has logged in has rightly cleared it.
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type UserRepresentation from '@keycloak/keycloak-admin-client/lib/defs/userRepresentation.js';
import type { PlatformContext } from './context.ts';
import { callKeycloak } from './keycloak.ts';

export type CheckValue = string | boolean | null;

export interface Check {
  name: string;
  expected: CheckValue;
  actual: CheckValue;
  ok: boolean;
}

/** What the platform's records say the Keycloak user must look like. */
export interface ExpectedKeycloakUser {
  userId: string;
  /** Defaults to the user id (admin bootstrap); a self-signed-up user's username is its email. */
  username?: string;
  email: string;
  tenantId: string;
  orgId: string;
  role: string;
}

/** The expectation for a tenant user as the platform's records hold it. */
export const expectedFromRecord = (u: { user_id: string; idp_username: string; email: string; tenant_id: string; org_id: string; role: string }): ExpectedKeycloakUser => ({
  userId: u.user_id,
  username: u.idp_username,
  email: u.email,
  tenantId: u.tenant_id,
  orgId: u.org_id,
  role: u.role,
});

export interface KeycloakUserState {
  /** null: Keycloak has no user with that id. */
  user: UserRepresentation | null;
  hasPassword: boolean;
}

export type VerificationMode = 'bootstrap' | 'drift';

/** The attributes that tie a Keycloak user to its platform user and tenant. */
export function platformAttributes(e: ExpectedKeycloakUser): Record<string, string> {
  return { platform_user_id: e.userId, tenant_id: e.tenantId, org_id: e.orgId, platform_role: e.role };
}

export async function readKeycloakUser(ctx: PlatformContext, kc: KcAdminClient, subject: string): Promise<KeycloakUserState> {
  const user = (await callKeycloak(ctx, 'read user', () => kc.users.findOne({ id: subject }))) ?? null;
  if (!user) return { user: null, hasPassword: false };
  const credentials = await callKeycloak(ctx, 'read credentials', () => kc.users.getCredentials({ id: subject }));
  return { user, hasPassword: credentials.some((c) => c.type === 'password') };
}

export function compareKeycloakUser(e: ExpectedKeycloakUser, state: KeycloakUserState, mode: VerificationMode): Check[] {
  const u = state.user;
  const check = (name: string, expected: CheckValue, actual: CheckValue): Check => ({ name, expected, actual, ok: u !== null && expected === actual });
  const attr = (name: string): CheckValue => {
    const values = u?.attributes?.[name] as unknown;
    const list = Array.isArray(values) ? values.map(String) : values === undefined || values === null ? [] : [String(values)];
    // A multi-valued attribute never matches the platform's single value: show all of it.
    return list.length ? list.join(',') : null;
  };
  const checks: Check[] = [
    { name: 'exists', expected: true, actual: u !== null, ok: u !== null },
    // Keycloak stores usernames and emails in lower case.
    check('username', (e.username ?? e.userId).toLowerCase(), u?.username ?? null),
    check('email', e.email.toLowerCase(), u?.email?.toLowerCase() ?? null),
    check('enabled', true, u?.enabled ?? null),
    ...Object.entries(platformAttributes(e)).map(([name, value]) => check(`attributes.${name}`, value, attr(name))),
  ];
  if (mode === 'bootstrap') checks.push(check('temporary_password_pending', true, u ? (u.requiredActions ?? []).includes('UPDATE_PASSWORD') : null));
  checks.push(check('password_credential', true, u ? state.hasPassword : null));
  return checks;
}

export const inSync = (checks: Check[]): boolean => checks.every((c) => c.ok);
export const failingChecks = (checks: Check[]): Check[] => checks.filter((c) => !c.ok);

/** Identifies one state of drift: the same failing checks with the same actual values. */
export function driftSignature(checks: Check[]): string {
  return JSON.stringify(failingChecks(checks).map((c) => [c.name, c.actual]).sort());
}

/**
 * Drift as the verify endpoint and the worker report it. The drift_not_reported fault makes the
 * comparison vouch for every row, the way a broken reconciler would.
 */
export function reportedDrift(ctx: PlatformContext, checks: Check[]): Check[] {
  return ctx.faults.isOn('drift_not_reported') ? checks.map((c) => ({ ...c, ok: true })) : checks;
}
