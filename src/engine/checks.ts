// Checks of the platform's envelopes that many journeys make, named by the runbook symptom.
import type { JourneyContext } from './context.ts';
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
