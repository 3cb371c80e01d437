// Every sandbox fault and the journeys that must catch it: switched on, the journey fails in the
// named step with the runbook's failure code (and, where the symptom is an HTTP answer of the
// platform, with that answer's correlation id). The console's own faults are caught by the browser
// journeys switch-user-login and operator-bootstrap. Used in process (test/journeys) and through the CLI on the embedded
// default (test/cli).
import type { StepFailureCode } from '../../src/failures/catalog.ts';

export interface Catch {
  journey: string;
  step: string;
  code: StepFailureCode;
  /** The failing step carries the platform's correlation id (false: the symptom is not a platform answer). */
  correlated: boolean;
}

export interface Row {
  fault: string;
  catches: Catch[];
}

const SHELL_STEP = 'the shell shows the tenant admin of the new tenant';

export const FAULT_TABLE: Row[] = [
  { fault: 'signup_skips_default_project', catches: [{ journey: 'personal-signup', step: 'sign up', code: 'signup_missing_default_project', correlated: true }] },
  // The rows are the signup's doing: the db step reports the signup's correlation id.
  { fault: 'signup_skips_posix_identity', catches: [{ journey: 'personal-signup', step: 'bootstrap rows exist', code: 'posix_identity_missing', correlated: true }] },
  {
    fault: 'project_header_dropped',
    catches: [
      { journey: 'project-scope', step: 'owner reaches the project with X-Project-ID', code: 'project_context_required_despite_header', correlated: true },
      { journey: 'personal-signup', step: 'project-scoped call with the default project', code: 'project_context_required_despite_header', correlated: true },
    ],
  },
  { fault: 'project_error_nondeterministic', catches: [{ journey: 'project-scope', step: 'missing X-Project-ID: the same 400 invalid_request every time', code: 'project_error_nondeterministic', correlated: true }] },
  {
    fault: 'session_partial',
    catches: [
      { journey: 'personal-signup', step: 'session is complete', code: 'session_partial', correlated: true },
      // The shell renders from the session server-side: the page shows no tenant, and no error.
      { journey: 'switch-user-login', step: SHELL_STEP, code: 'session_partial', correlated: false },
    ],
  },
  { fault: 'admin_user_missing_project_membership', catches: [{ journey: 'tenant-admin-bootstrap', step: 'memberships and user row committed', code: 'membership_missing', correlated: true }] },
  { fault: 'audit_missing_correlation', catches: [{ journey: 'tenant-admin-bootstrap', step: 'user.create audit row has the same correlation id', code: 'audit_missing_correlation', correlated: true }] },
  { fault: 'authz_counts_deleted_memberships', catches: [{ journey: 'project-scope', step: 'removed member is denied', code: 'deleted_membership_grants_access', correlated: true }] },
  {
    fault: 'keycloak_not_configured',
    catches: [
      { journey: 'idp-config-health', step: 'bootstrap a probe user through Keycloak', code: 'keycloak_config_missing', correlated: true },
      { journey: 'tenant-admin-bootstrap', step: 'bootstrap the tenant admin', code: 'keycloak_config_missing', correlated: true },
    ],
  },
  { fault: 'keycloak_admin_credentials_missing', catches: [{ journey: 'idp-config-health', step: 'bootstrap a probe user through Keycloak', code: 'keycloak_admin_secret_missing', correlated: true }] },
  {
    fault: 'keycloak_attribute_mismatch',
    catches: [
      { journey: 'tenant-admin-bootstrap', step: 'bootstrap the tenant admin', code: 'verification_mismatch', correlated: true },
      // The console's verification table shows the red row; the page's last answer is the refused bootstrap.
      { journey: 'operator-bootstrap', step: 'bootstrap the tenant admin in the console', code: 'verification_mismatch', correlated: true },
    ],
  },
  {
    fault: 'weak_password_accepted',
    catches: [
      { journey: 'tenant-admin-bootstrap', step: 'every rule refuses its probe', code: 'weak_password_accepted', correlated: true },
      { journey: 'operator-bootstrap', step: 'a weak temporary password is refused with the policy message', code: 'weak_password_accepted', correlated: true },
    ],
  },
  { fault: 'create_without_keycloak_allowed', catches: [{ journey: 'tenant-admin-bootstrap', step: 'every rule refuses its probe', code: 'created_without_keycloak', correlated: true }] },
  // Console faults: only a browser sees them, and they are not answers of the platform.
  { fault: 'logout_skips_end_session', catches: [{ journey: 'switch-user-login', step: 'log out ends the SSO session', code: 'sso_session_survived_logout', correlated: false }] },
  {
    fault: 'session_role_fallback_auditor',
    catches: [
      { journey: 'tenant-admin-bootstrap', step: 'session says tenant_admin of the new tenant', code: 'session_role_fallback', correlated: true },
      { journey: 'personal-signup', step: 'session is complete', code: 'session_role_fallback', correlated: true },
      { journey: 'switch-user-login', step: SHELL_STEP, code: 'session_role_fallback', correlated: false },
    ],
  },
  // One fault per kind of Settings state; a tab switch makes no request, so the failing step carries
  // the page's last platform correlation id (the create call's).
  { fault: 'settings_state_local', catches: [{ journey: 'operator-bootstrap', step: 'the token and the SCIM connection are still listed after a tab switch', code: 'enrollment_token_lost_on_tab_switch', correlated: true }] },
  { fault: 'settings_state_local_scim', catches: [{ journey: 'operator-bootstrap', step: 'the token and the SCIM connection are still listed after a tab switch', code: 'scim_connection_lost_on_tab_switch', correlated: true }] },
  { fault: 'settings_state_local_tenants', catches: [{ journey: 'operator-bootstrap', step: 'the tenant is still listed after a tab switch', code: 'tenant_row_lost_on_tab_switch', correlated: true }] },
  { fault: 'readonly_label', catches: [{ journey: 'switch-user-login', step: 'the notice uses guardrail wording', code: 'readonly_label', correlated: false }] },
  { fault: 'drift_not_reported', catches: [{ journey: 'identity-drift', step: 'verify reports the drift', code: 'drift_not_reported', correlated: true }] },
  { fault: 'error_envelope_missing_correlation_id', catches: [{ journey: 'project-scope', step: 'missing X-Project-ID: the same 400 invalid_request every time', code: 'error_envelope_missing_correlation_id', correlated: true }] },
  // A Keycloak that answers, but 2.5 s late per request, is `keycloak_slow` in every journey, at its
  // first call that waits on the IdP (a login, Keycloak's pages in the browser, a platform signup
  // behind which Keycloak is called), within about 2.5 s of it: the call is past the IdP budget and
  // the discovery probe is slow too (src/engine/idp-latency.ts). The IdP's own answers carry no
  // platform correlation id: those failing steps carry onramp's X-Request-ID instead.
  {
    fault: 'idp_slow',
    catches: [
      { journey: 'idp-config-health', step: 'Keycloak issues the system admin a token', code: 'keycloak_slow', correlated: false },
      { journey: 'switch-user-login', step: 'system admin signs in through the console', code: 'keycloak_slow', correlated: false },
      // The platform's signup waits on Keycloak: its answer is late, and the IdP's probe too. It is
      // not waited for (cleanup finds the user by name), so the step carries onramp's X-Request-ID.
      { journey: 'personal-signup', step: 'sign up', code: 'keycloak_slow', correlated: false },
      { journey: 'project-scope', step: 'system admin logs in', code: 'keycloak_slow', correlated: false },
      { journey: 'tenant-admin-bootstrap', step: 'system admin logs in', code: 'keycloak_slow', correlated: false },
      { journey: 'identity-drift', step: 'system admin logs in', code: 'keycloak_slow', correlated: false },
      { journey: 'enrollment-tokens', step: 'sign up a tenant admin', code: 'keycloak_slow', correlated: false },
    ],
  },
  {
    fault: 'idp_down',
    catches: [
      // Keycloak's own 503 to the token request: the platform is never reached, so no correlation id.
      { journey: 'idp-config-health', step: 'Keycloak issues the system admin a token', code: 'keycloak_down', correlated: false },
      { journey: 'personal-signup', step: 'sign up', code: 'keycloak_down', correlated: true },
      // The console's "identity provider cannot be reached" page (a 502) at sign-in, at once.
      { journey: 'switch-user-login', step: 'system admin signs in through the console', code: 'keycloak_down', correlated: false },
    ],
  },
];
