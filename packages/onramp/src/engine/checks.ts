// Checks of the platform's envelopes that many journeys make, named by the runbook symptom. The
// platform's own error code is data: it goes into `actual`, and a failure code comes from the
// catalogue's aliases, so a code the platform invents is `error_code_changed`, never a code of ours.
import type { JourneyContext } from './context.ts';
// The one module of jose this needs: the package's index loads all of it (about 45 ms of a cold start).
import { decodeJwt } from 'jose/jwt/decode';
import type { HttpResponse } from './journey.ts';
import { StepFailure } from './failure.ts';
import { codeOfPlatformError } from '../failures/catalog.ts';

/** Triage starts from the envelope's correlation id: it must be there and equal X-Correlation-ID. */
export function checkErrorEnvelope(res: HttpResponse, ctx: JourneyContext): void {
  const header = [res.headers['x-correlation-id']].flat()[0];
  const inBody = res.body?.correlation_id;
  ctx.assert('error envelope correlation_id equals X-Correlation-ID', typeof inBody === 'string' && inBody !== '' && inBody === header, {
    actual: inBody,
    expected: header ?? 'the X-Correlation-ID header',
    code: 'error_envelope_missing_correlation_id',
  });
}

/** The codes of the platform's identity-provider envelope (contracts/schemas/idp-error.schema.json). */
export const IDP_ERROR_CODES = ['keycloak_not_configured', 'keycloak_admin_credentials_missing', 'keycloak_verification_failed', 'keycloak_unavailable'] as const;

/**
 * The failure a 422 of the Keycloak path means, or undefined for any other answer. Its code is the
 * catalogue row the envelope's code is an alias of (`keycloak_unavailable` is `keycloak_down`); a
 * 422 without a code is `keycloak_bootstrap_failed`, and one with a code onramp does not know is
 * `error_code_changed`, with the known codes as `expected`. The platform's code is in `actual`.
 */
export function idpFailure(res: HttpResponse, expected: unknown = 201): StepFailure | undefined {
  if (res.status !== 422) return undefined;
  const platformCode: unknown = res.body?.code;
  const actual = { status: res.status, code: platformCode };
  const what = `422 ${typeof platformCode === 'string' ? platformCode : 'without a code'}: ${res.body?.detail ?? 'no detail'}`;
  if (platformCode === undefined) return new StepFailure('keycloak_bootstrap_failed', what, expected, actual);
  const known = typeof platformCode === 'string' && (IDP_ERROR_CODES as readonly string[]).includes(platformCode) ? codeOfPlatformError(platformCode) : undefined;
  if (known) return new StepFailure(known, what, expected, actual);
  return new StepFailure('error_code_changed', `${what} (an identity-provider error code onramp does not know)`, { status: 422, code: IDP_ERROR_CODES }, actual);
}

/** A 422 from the Keycloak path fails with the row its code means, so `keycloak_down` reads as such. */
export function failOnIdpError(res: HttpResponse, ctx: JourneyContext, expected: unknown = 201): void {
  const failure = idpFailure(res, expected);
  if (failure) throw failure;
}

/** An audit row as GET /api/v1/admin/audit lists it (contracts/schemas/audit-log.schema.json). */
export interface AuditEntry {
  action: string;
  target_id: string | null;
  correlation_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * The audit row that is a request's evidence: its action (and target), and the request's own
 * correlation id. A row of the same action under another id is someone else's request, however
 * the lookup found it: `audit_missing_correlation`, the request's id expected, the row's actual.
 */
export function checkAuditRow(res: HttpResponse, ctx: JourneyContext, o: { action: string; targetId?: string; correlationId: string }): AuditEntry {
  const entries: AuditEntry[] = Array.isArray(res.body?.entries) ? res.body.entries : [];
  const what = `${o.action}${o.targetId === undefined ? '' : ` ${o.targetId}`}`;
  const same = entries.filter((e) => e?.action === o.action && (o.targetId === undefined || e.target_id === o.targetId));
  const row = same.find((e) => e.correlation_id === o.correlationId);
  const actual = row ? `${what} correlation_id ${o.correlationId}`
    : same.length ? same.map((e) => `${what} correlation_id ${e.correlation_id ?? 'null'}`).join('; ')
    : `no ${what} row (${entries.map((e) => `${e?.action} ${e?.target_id} correlation_id ${e?.correlation_id ?? 'null'}`).join('; ') || 'no rows'})`;
  ctx.assert(`${o.action} audit row with the request's correlation id`, row !== undefined, { expected: `${what} correlation_id ${o.correlationId}`, actual, code: 'audit_missing_correlation' });
  return row!;
}

/**
 * A session (or any user-context answer) must be the logged-in user's, not merely carry a tenant
 * and a role: its user id and email, and the token's own email and subject, all name that user.
 */
export function checkSessionUser(res: HttpResponse, ctx: JourneyContext, o: { userId: string; email: string; token: string; subject?: string }): void {
  // No session at all names nobody: it is the session missing, not another user's.
  const body: unknown = res.body;
  ctx.assert('session body', typeof body === 'object' && body !== null && !Array.isArray(body), { actual: body === undefined ? 'an empty body' : body, expected: 'a session object', code: 'session_unavailable' });
  const code = 'session_wrong_user';
  ctx.check('session user_id', res.body?.user_id, o.userId, { code });
  ctx.check('session email', lower(res.body?.email), lower(o.email), { code });
  const claims = decodeJwt(o.token);
  ctx.check('token email', lower(claims.email), lower(o.email), { code });
  if (o.subject) ctx.check('token subject', claims.sub, o.subject, { code });
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
