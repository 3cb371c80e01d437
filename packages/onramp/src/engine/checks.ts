// Checks of the platform's envelopes that many journeys make, named by the runbook symptom.
import type { JourneyContext } from './context.ts';
import { decodeJwt } from 'jose';
import type { HttpResponse } from './journey.ts';

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

/** A 422 from the Keycloak path fails with its own code, so `keycloak_unavailable` reads as such. */
export function failOnIdpError(res: HttpResponse, ctx: JourneyContext, expected: unknown = 201): void {
  if (res.status !== 422) return;
  const code = String(res.body?.code ?? 'identity_provider_failure');
  ctx.fail(code === 'keycloak_verification_failed' ? 'verification_mismatch' : code, `422 ${code}: ${res.body?.detail ?? 'no detail'}`, { expected, actual: `422 ${code}` });
}

/**
 * A session (or any user-context answer) must be the logged-in user's, not merely carry a tenant
 * and a role: its user id and email, and the token's own email and subject, all name that user.
 */
export function checkSessionUser(res: HttpResponse, ctx: JourneyContext, o: { userId: string; email: string; token: string; subject?: string }): void {
  const code = 'session_wrong_user';
  ctx.check('session user_id', res.body?.user_id, o.userId, { code });
  ctx.check('session email', lower(res.body?.email), lower(o.email), { code });
  const claims = decodeJwt(o.token);
  ctx.check('token email', lower(claims.email), lower(o.email), { code });
  if (o.subject) ctx.check('token subject', claims.sub, o.subject, { code });
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
