// The platform's two error envelopes (PLATFORM.md, "Error envelopes") as throwable values.
// Handlers throw them; the server writes them with the request's correlation id.

/** Runbook shape: `{ code, message, correlation_id }` (+ optional details). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const IDP_FAILURE_CODES = ['keycloak_not_configured', 'keycloak_admin_credentials_missing', 'keycloak_verification_failed', 'keycloak_unavailable'] as const;
export type IdpFailureCode = (typeof IDP_FAILURE_CODES)[number];

/** Identity-provider failures (422): `{ error: "identity_provider_failure", code, detail, remediation }`. */
export class IdpFailure extends Error {
  constructor(
    readonly code: IdpFailureCode,
    readonly detail: string,
    readonly remediation: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

/** Texts from the OP-071 change note's troubleshooting table, where it has them. */
export const IDP_FAILURES: Record<IdpFailureCode, (extra?: Record<string, unknown>) => IdpFailure> = {
  keycloak_not_configured: () =>
    new IdpFailure('keycloak_not_configured', 'Tenant admin bootstrap requires Keycloak.', 'Verify Helm values and the Keycloak admin secret.'),
  keycloak_admin_credentials_missing: () =>
    new IdpFailure('keycloak_admin_credentials_missing', 'Keycloak admin URL or Secret values are missing.', 'Recreate the Kubernetes Secret and redeploy API/worker.'),
  keycloak_verification_failed: (extra) =>
    new IdpFailure('keycloak_verification_failed', 'Keycloak user attributes or credentials did not match.', 'Fix realm mappers/admin config, then retry user creation.', extra),
  keycloak_unavailable: (extra) =>
    new IdpFailure('keycloak_unavailable', 'Keycloak did not answer the admin request.', 'Check Keycloak health and the network path from the API to Keycloak, then retry.', extra),
};

export const invalidRequest = (message: string, details?: Record<string, unknown>) => new ApiError(400, 'invalid_request', message, details);
export const unauthorized = (message = 'A valid bearer token is required.') => new ApiError(401, 'unauthenticated', message);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/** The runbook's wording for a project-scoped call without usable project context. */
export const PROJECT_CONTEXT_REQUIRED = 'Project context is required: send the X-Project-ID header with a project id.';
