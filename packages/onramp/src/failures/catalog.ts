// The failure catalogue: every failure code onramp reports, as one table. Each row is the runbook's
// symptom, its likely cause, the recovery action, the owning team and where the row comes from
// (`source`: the onboarding/auth runbook's trigger conditions, diagnostic checklist and recovery
// actions, the OP-071 change note's troubleshooting table, the platform contract's list of 15
// failures (#n), or onramp's own parts). `aliases` are the platform's error codes that mean the row
// (what a user brings to `onramp triage --code`, what a check maps an envelope's code through);
// `runLevel` rows describe a whole run (a RunError), never a step.
//
// A platform's error code is data, never a failure code: failure codes are onramp's words, aliases
// the platform's, and the two never share a name. A code the platform answers that no row knows is
// `error_code_changed`, not a metric label of its own, so the `code` label is bounded by this table.
// test/failures/catalog.test.ts discovers the codes in journeys/ and src/ and fails on any code
// without a row, a row without an owner team, a run-level code used by a step, or a colliding alias.

export const TEAMS = { platform: 'Platform/API', identity: 'Auth/Identity UX', onramp: 'onramp (synthetic check itself)' } as const;
export type Team = (typeof TEAMS)[keyof typeof TEAMS];

export interface FailureRow {
  readonly symptom: string;
  readonly cause: string;
  readonly action: string;
  readonly owner: Team;
  /** Where the row comes from: the runbook section, change-note row or platform failure number. */
  readonly source: string;
  /** Platform error codes that mean this row; never failure codes themselves. */
  readonly aliases: readonly string[];
  /** A code of a whole run (RunError.code), never of a step. */
  readonly runLevel: boolean;
}

const P = TEAMS.platform;
const I = TEAMS.identity;
const O = TEAMS.onramp;

// Recovery actions quoted across rows.
const RESTORE_BOOTSTRAP = 'Re-run controlled bootstrap for the affected user (tenant + default project + memberships), then re-test the same journey and confirm by the new correlation id.';
const RESTORE_MEMBERSHIP = 'Insert/restore the correct project_memberships row (active, deleted_at IS NULL), then re-test the same journey and confirm by the new correlation id.';
const FIX_PROPAGATION = 'Fix the header propagation path (client, gateway, backend) and redeploy the affected component; re-test and confirm by correlation id.';
const KEYCLOAK_CONFIG = 'Check Helm values, the API env and the Keycloak admin Secret; redeploy API/worker.';
const PLATFORM_CHECK = 'Look the request up by correlation id in the API logs and fix the failing component; re-test the journey.';

const row = (symptom: string, cause: string, action: string, owner: Team, source: string, aliases: readonly string[] = []): FailureRow & { runLevel: false } => ({ symptom, cause, action, owner, source, aliases, runLevel: false });
const runRow = (symptom: string, cause: string, action: string, owner: Team, source: string): FailureRow & { runLevel: true } => ({ symptom, cause, action, owner, source, aliases: [], runLevel: true });

export const FAILURES = {
  // Runbook trigger: signup/login succeeds but the user is blocked on project-scoped APIs.
  signup_missing_default_project: row('Signup succeeds but the user is blocked on project-scoped APIs', 'Personal bootstrap committed without the default project and its owner membership', RESTORE_BOOTSTRAP, P, 'runbook: trigger conditions, signup path; #1, #5'),
  posix_identity_missing: row('Missing personal bootstrap artifacts (user_posix_identities row)', 'Personal bootstrap committed without the runtime identity row', RESTORE_BOOTSTRAP, P, 'runbook: confirm onboarding bootstrap artifacts; #5'),
  bootstrap_incomplete: row('Missing personal bootstrap artifacts (org, tenant, default project, memberships)', 'Signup or admin bootstrap did not commit every scope record', RESTORE_BOOTSTRAP, P, 'runbook: resolve user scope records, bootstrap artifacts; #5, #6'),
  signup_failed: row('Signup does not return 201 with org_id and user context', 'The signup path failed before committing the bootstrap', 'Look the signup up by correlation id; fix the failing dependency, then re-run controlled bootstrap for the user.', P, 'runbook: diagnostic checklist, signup path; #1'),
  // Runbook trigger: invalid_request with the project-context-required message.
  project_context_required_despite_header: row('400 invalid_request project-context-required although X-Project-ID was sent', 'Client context propagation lost the X-Project-ID header on its way in', FIX_PROPAGATION, P, 'runbook: trigger conditions, recovery "invalid client context propagation"; #2'),
  project_error_nondeterministic: row('Missing/invalid X-Project-ID is not a deterministic 400 invalid_request', 'The project-context check answers differently from try to try (unstable validation path)', FIX_PROPAGATION, P, 'runbook: diagnostic checklist, project-scoped requests; #2'),
  project_context_error_wrong_code: row('Missing/invalid X-Project-ID does not answer 400 invalid_request', 'The project-context check answers with another status or code', FIX_PROPAGATION, P, 'runbook: diagnostic checklist, project-scoped requests; #2'),
  // An alias, not a row: the platform's invalid_request is its word for any refused request (a
  // missing field too); the runbook's trigger is the project-context one, so a user who brings it
  // lands here, and a journey names the precise symptom itself.
  project_context_missing: row('A project-scoped request is refused: 400 invalid_request (project context required)', 'X-Project-ID missing or malformed on the request, or lost on its way in', 'Confirm the request carried X-Project-ID; if it did, fix the header propagation path and redeploy.', P, 'runbook: trigger conditions, fast triage "confirm request had required project context"; #2', ['invalid_request']),
  // Runbook trigger: membership/ownership denied during first-run onboarding.
  // The platform's membership_denied and ownership_denied are aliases, not rows: the runbook has one
  // trigger ("membership/ownership denied") and one recovery for both, and the journeys report a
  // missing owner role as this symptom too.
  membership_missing: row('Membership/ownership denied (403 membership_denied or ownership_denied), e.g. on the default project during first-run onboarding', 'No active membership (or not the owner one) for the caller: bootstrap committed without the tenant or default-project membership, or the row was soft-deleted and not restored', RESTORE_MEMBERSHIP, P, 'runbook: trigger conditions, admin-created user path, recovery "missing project membership"; #3, #6', ['membership_denied', 'ownership_denied']),
  deleted_membership_grants_access: row('Authorization using soft-deleted membership rows', 'Authorization ignores deleted_at, so removed members keep access', 'Make authorization use active rows only (deleted_at IS NULL) and redeploy the API; review access granted since.', P, 'runbook: diagnostic checklist, membership state; #7'),
  non_member_granted_access: row('A user without project membership reaches the project', 'Authorization does not follow active project membership', 'Make authorization use active rows only (deleted_at IS NULL) and redeploy the API; review access granted since.', P, 'runbook: diagnostic checklist, membership state; #7'),
  // Runbook trigger: partial session state.
  session_partial: row('Partial session: tenant or project missing in the shell', 'GET /api/v1/session omits tenant_id or project_id for a user who has them', 'Redeploy the API with the complete session context; verify /api/v1/session returns tenant_id and project_id.', I, 'runbook: trigger conditions; #4'),
  session_role_fallback: row('A new tenant shows the Auditor view or hides tenant-admin actions', 'A stale frontend bundle or an empty-state session fallback to role auditor', 'Redeploy the frontend image with the empty-tenant session-role fix and verify /api/v1/session returns role=tenant_admin.', I, 'change note: troubleshooting "New tenant shows Auditor view"; #12'),
  session_wrong_user: row('The session or token belongs to another user (login reuses a previous session)', 'The Keycloak SSO session or a cached session of another user was reused', 'Use Logout, then Switch user, or a private browser profile; verify the session names the logged-in user.', I, 'change note: troubleshooting "Login reuses super-admin"; #11'),
  session_unavailable: row('GET /api/v1/session fails for a logged-in user (no session context)', 'The session endpoint failed; the shell cannot render tenant or project', 'Look the session request up by correlation id; redeploy the API; verify /api/v1/session.', I, 'runbook: trigger conditions (partial session state); #4'),
  login_failed: row('Login fails for a user who should be able to log in', 'Keycloak refused the credentials, or a required action (update password) is pending', 'Check the user in Keycloak (enabled, required actions, credentials); reset the temporary password if needed.', I, 'runbook: trigger conditions (signup/login); change note: operator runbook'),
  // Admin-created user path (change note OP-071).
  audit_missing_correlation: row('Admin-created user without its user.create audit row under the same correlation id', 'The audit row was written without the request correlation id (or not at all)', 'Fix the audit writer to store the request correlation id; record the missing audit evidence by hand for the affected user.', P, 'runbook: diagnostic checklist, admin-created user path; #6'),
  audit_evidence_missing: row('user.create audit row does not hold the verification evidence', 'Verification evidence was not stored in the audit payload', 'Fix the audit payload to store the verification evidence; re-run the bootstrap verification.', P, 'change note: "Verification evidence ... stored in the audit payload"; #6'),
  audit_unavailable: row('The audit log cannot be read by correlation id', 'GET /api/v1/admin/audit failed', PLATFORM_CHECK, P, 'runbook: required incident evidence (audit)'),
  // The identity-provider envelope's codes (contracts/schemas/idp-error.schema.json) are aliases of
  // rows named in onramp's words, not rows: a Keycloak 5xx that onramp sees itself and the
  // platform's 422 keycloak_unavailable are one row (keycloak_down), the rows keep the platform's
  // code in their symptom for people who search for it, and a code the platform adds cannot pass
  // for one of ours (checks.ts answers it with error_code_changed).
  keycloak_config_missing: row('422 keycloak_not_configured', 'The API pod lacks Keycloak bootstrap configuration', KEYCLOAK_CONFIG, P, 'change note: troubleshooting "422 keycloak_not_configured"; #8', ['keycloak_not_configured']),
  keycloak_admin_secret_missing: row('422 keycloak_admin_credentials_missing', 'The Keycloak admin URL or Secret values are missing', 'Recreate the Kubernetes Secret and redeploy API/worker.', P, 'change note: troubleshooting "422 keycloak_admin_credentials_missing"; #8', ['keycloak_admin_credentials_missing']),
  keycloak_down: row('Identity provider unavailable: bootstrap fails with 422 keycloak_unavailable, logins fail', 'Keycloak is down or answers 5xx', 'Restore Keycloak (pods, ingress, database); then retry the bootstrap or login.', I, 'change note: Keycloak bootstrap required; platform contract 422 codes; #8', ['keycloak_unavailable']),
  keycloak_slow: row('Identity provider slow: bootstrap and login run into timeouts', 'Keycloak answers, but late (overloaded, database or network latency)', 'Check Keycloak latency and resources; retry when it answers in time.', I, 'change note: Keycloak bootstrap required; platform contract; #8'),
  keycloak_bootstrap_failed: row('422 identity_provider_failure without a code', 'The platform could not complete the Keycloak bootstrap and did not say why', KEYCLOAK_CONFIG, P, 'platform contract: identity-provider envelope; #8', ['identity_provider_failure']),
  // The platform's keycloak_verification_failed is this row (an alias): the change note names both
  // "verification table has red rows".
  verification_mismatch: row('Verification table has red rows', 'Keycloak user attributes or credentials did not match', 'Fix realm mappers/admin config, then retry user creation.', I, 'change note: troubleshooting "Verification table has red rows"; #9', ['keycloak_verification_failed']),
  verification_evidence_missing: row('Keycloak verification evidence not returned to the UI', 'The bootstrap response lacks the verification checks', 'Redeploy the API with verification evidence in the 201 response; retry user creation.', P, 'change note: "Verification evidence is returned to the UI"; #9'),
  temporary_password_not_pending: row('Temporary password not pending: the new user is not asked to change it', 'The Keycloak user was created without a temporary password (no UPDATE_PASSWORD required action)', 'Reset the user\'s password in Keycloak as temporary; fix the bootstrap to create temporary credentials.', I, 'change note: operator runbook "change the temporary password"; #9'),
  verify_failed: row('The system-admin verify endpoint fails', 'POST .../verify did not return a drift report', PLATFORM_CHECK, P, 'change note: "A system-admin verify endpoint reports drift"; #15'),
  drift_not_reported: row('Drift between the platform and Keycloak not reported', 'The verify endpoint or the reconciliation worker reports every check as ok / emits no drift events', 'Redeploy API/worker with drift detection; run verify for affected users and reconcile Keycloak by hand.', P, 'change note: verify endpoint, worker platform.tenant_user.drift_detected; #15'),
  events_unavailable: row('Platform events cannot be read (drift events unknown)', 'GET /api/v1/admin/events failed', PLATFORM_CHECK, P, 'change note: worker reconciliation events; #15'),
  weak_password_accepted: row('Password rejected expected, but a weak temporary password was accepted', 'The server-side password policy is skipped before Keycloak is called', 'Redeploy the API with the server-side password policy; reset the affected user\'s temporary password.', P, 'change note: troubleshooting "Password rejected", "Server-side password policy"; #10'),
  created_without_keycloak: row('A user created without Keycloak', 'A "create without Keycloak" option was honoured instead of rejected', 'Redeploy the API that rejects the option; remove or re-bootstrap the users created without Keycloak.', P, 'change note: "no longer accepts a create without Keycloak option"; #10'),
  required_field_not_enforced: row('Tenant user created without a required field', 'The API does not require user_id, display_name, role, email and initial_password', 'Redeploy the API with required-field validation; fix the affected user records.', P, 'change note: API validation, required fields; #10'),
  rejected_user_left_in_keycloak: row('A rejected bootstrap left its user in Keycloak (half-made user)', 'The Keycloak user is not removed when validation, verification or the SQL commit fails', 'Remove the orphaned Keycloak users; fix the bootstrap rollback.', I, 'platform contract: "nothing half-made"; #10'),
  rejected_user_left_in_platform: row('A rejected bootstrap left its user in the platform database', 'The SQL user is committed although the request was refused', 'Remove the orphaned platform users; fix the bootstrap transaction.', P, 'platform contract: "nothing half-made"; #10'),
  bootstrap_failed: row('Tenant admin bootstrap fails', 'POST /api/v1/admin/tenants/{tenant_id}/users answered neither 201 nor a Keycloak 422', 'Look the bootstrap up by correlation id; fix the failing component; retry user creation.', P, 'change note: operator runbook "Bootstrap the first tenant user"; #6'),
  tenant_create_failed: row('Tenant creation fails', 'POST /api/v1/admin/tenants failed', PLATFORM_CHECK, P, 'change note: operator runbook "Create the tenant in Settings"'),
  project_create_failed: row('Project creation fails for a tenant admin', 'POST /api/v1/projects failed', PLATFORM_CHECK, P, 'runbook: impact "cannot provision/use resources"; #3'),
  projects_unavailable: row('Projects cannot be listed for the user', 'GET /api/v1/projects failed', PLATFORM_CHECK, P, 'runbook: impact "cannot provision/use resources"; #3'),
  member_add_failed: row('A project owner cannot add a member', 'POST /api/v1/projects/{id}/members failed', RESTORE_MEMBERSHIP, P, 'runbook: recovery "missing project membership"; #3'),
  member_remove_failed: row('A project owner cannot remove a member', 'DELETE /api/v1/projects/{id}/members/{user} failed', PLATFORM_CHECK, P, 'runbook: membership state; #7'),
  cleanup_failed: row('Synthetic identities were not removed', 'A cleanup call failed; leftovers stay until `onramp sweep`', 'Run `onramp sweep` for the target; look the cleanup call up by correlation id.', O, 'onramp: synthetic identity hygiene'),
  // Console settings (change note).
  enrollment_token_missing: row('A created enrollment token disappears after switching tabs or after reload', 'Page-local Settings state was remounted from the original server snapshot', 'Redeploy the shell-state fix; after a full refresh verify GET /api/v1/agent-enrollment/tokens returns the token metadata.', I, 'change note: troubleshooting "Created enrollment token disappears"; #13'),
  enrollment_token_wrong_tenant: row('An enrollment token shows up in the wrong tenant', 'Enrollment token metadata is not scoped to the caller\'s tenant', 'Redeploy the API with tenant-scoped token listing; revoke the affected tokens.', P, 'change note: settings mutations; #13'),
  enrollment_token_create_failed: row('A tenant admin cannot create an enrollment token', 'POST /api/v1/agent-enrollment/tokens failed or tenant-admin actions are hidden', 'Verify /api/v1/session returns role=tenant_admin; look the call up by correlation id.', I, 'change note: empty tenant console keeps tenant-admin actions; #12, #13'),
  enrollment_tokens_unavailable: row('Enrollment tokens cannot be listed after reload', 'GET /api/v1/agent-enrollment/tokens failed', 'Verify GET /api/v1/agent-enrollment/tokens after a full refresh; look the call up by correlation id.', I, 'change note: troubleshooting "Created enrollment token disappears"; #13'),
  enrollment_secret_exposed: row('An enrollment token secret is shown again after creation', 'The token listing returns the secret instead of metadata only', 'Redeploy the API that returns metadata only; rotate the exposed tokens.', P, 'platform contract: "metadata only, never the secret"; #13'),
  enrollment_secret_missing: row('A created enrollment token does not show its secret once', 'The 201 answer lacks the one-time secret', 'Redeploy the API that returns the secret once; recreate the token.', P, 'platform contract: agent enrollment; #13'),
  // The triage starting point itself.
  error_envelope_missing_correlation_id: row('Error envelope without a correlation id (triage cannot start from it)', 'Error responses omit correlation_id in the body', 'Redeploy the API with correlation_id in every error envelope; meanwhile look requests up by X-Correlation-ID header or request id.', P, 'runbook: fast triage "capture correlation_id and error code from the envelope"'),
  correlation_id_missing: row('An API answer carries no correlation id', 'Neither the X-Correlation-ID header nor the envelope carries one', 'Redeploy the API (or gateway) that sets X-Correlation-ID on every answer.', P, 'runbook: fast triage (correlation-first)'),
  // The HTTP layer and the checks' own plumbing.
  unexpected_status: row('An API answers with an unexpected status', 'The endpoint behaves outside the platform contract', PLATFORM_CHECK, P, 'platform contract'),
  error_code_changed: row('The platform answered an error code onramp does not know, or the expected error status with another code than the step expects', 'The platform added or renamed an error code (outside its contract, or ahead of onramp); the failure holds the known or expected codes (expected) and the answered one (actual)', 'Compare the answered code with contracts/ and the change log; fix the API, or add the code to the contract and to an alias of the catalogue deliberately.', P, 'platform contract: error envelopes; runbook: fast triage "capture correlation_id and error code from the envelope"'),
  rate_limited: row('The platform or its gateway throttles the synthetic client (429, or 503 with Retry-After)', 'The synthetic client exceeds the rate limit of the gateway or the platform for its client id or address, or the platform sheds load; the operation itself was not judged', 'Raise the rate limit for the synthetic client at the gateway, or lower the canary\'s rate (monitor schedule, concurrency); a pass on the retry is reported flaky.', P, 'onramp: HTTP answers (RFC 6585 429, RFC 9110 Retry-After)'),
  contract_violation: row('An API answer does not match the platform contract (schema)', 'The response envelope changed shape', 'Compare the answer with contracts/; fix the API or update the contract deliberately.', P, 'platform contract: error envelopes'),
  check_failed: row('A journey check failed', 'See the check\'s expected and actual values', PLATFORM_CHECK, P, 'onramp'),
  target_unreachable: row('The API or Keycloak cannot be reached', 'Nothing answered: DNS, routing, a stopped service', 'Check the service, ingress and DNS for the target URL.', P, 'onramp: transport'),
  connection_reset: row('The connection closed before a complete answer', 'A proxy or the service dropped the connection', 'Check the service\'s restarts and the proxy/gateway logs at that time.', P, 'onramp: transport'),
  invalid_http_response: row('Something answered, but not with valid HTTP (not HTTP at all, or a body that does not decode as its Content-Encoding says)', 'A wrong port or a non-HTTP service behind the URL, or a gateway or proxy that compresses with an encoding it does not declare (or mangles the compressed body)', 'Check the target URL and the ingress routing; for an undecodable body, the compression settings of the gateway in front of the API.', P, 'onramp: transport'),
  response_timeout: row('No answer in time', 'The service or a dependency (Keycloak, database) is slow', 'Check the service\'s latency and its dependencies at that time.', P, 'onramp: transport'),
  invalid_json_body: row('A JSON answer does not parse', 'The service wrote a broken body', PLATFORM_CHECK, P, 'onramp: transport'),
  error_body_not_json: row('An error answer is not the platform\'s JSON envelope (a gateway or proxy page)', 'A proxy or gateway answered in place of the API', 'Check the gateway/ingress in front of the API at that time.', P, 'onramp: transport'),
  transport_error: row('The request failed below HTTP', 'A network or TLS failure', 'Check connectivity and TLS to the target.', P, 'onramp: transport'),
  idp_admin_auth_failed: row('The Keycloak admin client cannot log in', 'The admin client\'s credentials or realm-management roles are wrong', 'Check the admin client\'s secret and roles in Keycloak and onramp\'s config.', I, 'change note: Keycloak admin Secret'),
  db_write_attempt: row('A diagnostic db step tried to leave its read-only transaction', 'The journey\'s db step is wrong (diagnostics never write)', 'Fix the journey\'s db step.', O, 'onramp: read-only diagnostics'),
  step_timeout: row('A step ran out of time', 'The target or a dependency is slow, or the step waits for something that never comes', 'Look the step\'s requests up by correlation id; check the target\'s latency.', P, 'onramp: runner'),
  journey_timeout: row('A journey ran out of time', 'The target is slow overall', 'Check the target\'s latency; raise the journey timeout only if the target is known to be slow.', P, 'onramp: runner'),
  step_error: row('A step threw instead of reporting a failure', 'A bug in the journey or an unexpected answer shape', 'Read the step message; fix the journey or report the answer shape.', O, 'onramp: runner'),
  // A step cut short by an interrupt has a code of its own: `interrupted` is the run's.
  step_interrupted: row('A step was cut short: the run was interrupted while it ran and the grace period ran out', 'SIGINT/SIGTERM, a target that died, or the monitor stopping; the run error says which', 'Re-run; if the target died, check it first.', O, 'onramp: runner'),
  // Run-level codes: a RunError of the whole run, never a step's (the types keep them apart).
  interrupted: runRow('The run was interrupted', 'SIGINT/SIGTERM to onramp run (a CI cancel, Ctrl-C) while the run was going', 'Re-run; the journeys in flight ran their cleanup within the grace period.', O, 'onramp: runner'),
  internal_error: runRow('onramp failed internally', 'A bug in onramp', 'Report it with the run\'s results.json.', O, 'onramp: runner'),
  target_start_failed: runRow('The embedded sandbox did not start: no journey ran', 'The sandbox could not boot (a port in use, its Postgres or IdP failing to start)', 'Read the run error; start `onramp sandbox` alone to see its log, free the port or fix the sandbox config, and re-run.', O, 'onramp: embedded sandbox'),
  fault_switch_failed: runRow('A --fault could not be switched on: no journey ran', 'The running sandbox refused the fault switch (an unknown fault, a wrong control token) or did not answer', 'Check the fault names (the sandbox README) and the sandbox\'s control token in the target config, then re-run.', O, 'onramp: sandbox faults'),
  monitor_stopping: runRow('Scheduled runs were interrupted by the monitor shutting down', 'SIGTERM/SIGINT to onramp monitor (a deploy, a scale-down) and runs that outlived its grace period', 'Nothing if the stop was intended: the next run confirms the journeys; raise the grace period if runs are cut short often.', O, 'onramp: monitor'),
  // Browser journeys (switch-user-login, operator-bootstrap): what only the console and Keycloak's pages show.
  console_login_failed: row('The console does not sign the user in, or shows the wrong shell role', 'Console OIDC login failed (Keycloak refused the credentials, or the session role is wrong)', 'Check the console client and redirect URIs in Keycloak, then the user (enabled, required actions); verify /api/v1/session returns the role.', I, 'change note: operator runbook (log in as super-admin); #11, #12'),
  logout_unconfirmed: row('Logout lands without a "signed out" confirmation', 'The console logout does not come back from Keycloak end-session to its signed-out page', 'Check the post_logout_redirect_uri registered for the console client and the console logout route.', I, 'change note: "Logout uses Keycloak end-session when possible"'),
  sso_session_survived_logout: row('Login reuses the super-admin session after logout', 'Console logout skipped Keycloak end-session, so the SSO session is still active', 'Use Logout, then Switch user, or a private browser profile; redeploy the console with end-session logout.', I, 'change note: troubleshooting "Login reuses super-admin"; #11'),
  switch_user_refused: row("Switch user does not show Keycloak's login form for another user", 'The login page lacks the switch-user link, or prompt=login is not honoured', 'Verify the console sends prompt=login on Switch user and Keycloak shows the login form; use a private browser profile meanwhile.', I, 'change note: "login supports switch-user prompting"; #11'),
  tenant_admin_actions_missing: row('A new tenant admin does not see tenant-admin actions in an empty tenant', 'A stale frontend bundle or an empty-state session fallback hides the actions', 'Redeploy the frontend image with the empty-tenant fix and verify /api/v1/session returns role=tenant_admin.', I, 'change note: troubleshooting "New tenant shows Auditor view"; #12'),
  readonly_label: row('The tenant-admin security notice says "Read-only mode" although mutations are available', 'A stale frontend bundle without the guardrail wording', 'Redeploy the frontend image with the guardrail-label notice.', I, 'change note: "guardrail labels rather than Read-only mode"; #14'),
  enrollment_token_lost_on_tab_switch: row('A created enrollment token disappears after switching tabs', 'Page-local Settings state was remounted from the original server snapshot', 'Redeploy the shell-state fix so Settings mutations update console-level state; after a full refresh verify GET /api/v1/agent-enrollment/tokens returns the token metadata.', I, 'change note: troubleshooting "Created enrollment token disappears after switching tabs"; #13'),
  enrollment_token_lost_on_reload: row('A created enrollment token is gone after a full reload', 'The token was never stored by the API, or the console does not load the stored list', 'Look the create call up by correlation id; verify GET /api/v1/agent-enrollment/tokens returns the token metadata.', P, 'change note: troubleshooting "Created enrollment token disappears" (after full refresh, verify GET tokens); #13'),
  // The other two kinds of Settings state the change note names (operator-bootstrap).
  scim_connection_create_failed: row('A tenant admin cannot add a SCIM connection', 'POST /api/v1/scim/connections failed or the Settings form is missing', 'Verify /api/v1/session returns role=tenant_admin; look the call up by correlation id.', I, 'change note: Settings mutations (SCIM connections); #13'),
  scim_connection_missing: row('A created SCIM connection is not listed by the API', 'The connection was never stored, or GET /api/v1/scim/connections does not list the current tenant\'s', 'Look the create call up by correlation id; verify GET /api/v1/scim/connections as the tenant admin.', P, 'change note: Settings mutations (SCIM connections); #13'),
  scim_connection_lost_on_tab_switch: row('A created SCIM connection disappears after switching tabs', 'Page-local Settings state was remounted from the original server snapshot', 'Redeploy the shell-state fix so Settings mutations update console-level state; after a full refresh verify GET /api/v1/scim/connections returns the connection.', I, 'change note: "SCIM connections ... remain visible when an operator/admin switches console tabs"; #13'),
  scim_connection_lost_on_reload: row('A created SCIM connection is gone after a full reload', 'The connection was never stored by the API, or the console does not load the stored list', 'Look the create call up by correlation id; verify GET /api/v1/scim/connections returns the connection.', P, 'change note: Settings mutations (SCIM connections); #13'),
  tenant_row_lost_on_tab_switch: row('A tenant the system admin created disappears from Settings after switching tabs', 'Page-local Settings state was remounted from the original server snapshot', 'Redeploy the shell-state fix so Settings mutations update console-level state; after a full refresh verify GET /api/v1/admin/tenants lists the tenant.', I, 'change note: "platform tenant rows remain visible when an operator/admin switches console tabs"; #13'),
  tenant_row_lost_on_reload: row('A tenant the system admin created is gone from Settings after a full reload', 'The tenant was never stored by the API, or the console does not load the stored list', 'Look the create call up by correlation id; verify GET /api/v1/admin/tenants lists the tenant.', P, 'change note: operator runbook "Create the tenant in Settings"; #13'),
  browser_unavailable: row('A browser journey could not start: no Chromium found', 'The canary or CI machine has no browser (or a configured path that does not exist)', 'Install the OS package (apt-get install -y chromium-headless-shell chromium) or npx playwright install chromium where downloads work, or set browser.executable_path.', O, 'onramp: browser steps'),
  browser_timeout: row('A page did not show what the step waited for in time', 'The console or Keycloak page is slow or broken; see the step\'s screenshot and trace', 'Open the trace (npx playwright show-trace) and look the failed requests up by their correlation ids.', O, 'onramp: browser steps'),
  browser_crashed: row('The browser crashed during a step', 'Chromium died (memory, a renderer crash); the next journey gets a relaunched browser', 'Re-run; if it repeats, check the canary host\'s memory and the browser version.', O, 'onramp: browser steps'),
  check_unavailable: row('A check the target requires could not run (require: [db, browser] or --require)', 'The target lacks what that kind of check needs: no database for db checks (no database_url), no browser for browser checks', 'Provide what the failure names (set database_url on the target; install Chromium or set browser.executable_path), or drop the kind from the target\'s require / --require.', O, 'onramp: config (require)'),
  console_url_missing: row('A browser journey has no console to open', 'The target names no console_url', 'Set console_url on the target in the onramp config.', O, 'onramp: config'),
} as const satisfies Record<string, FailureRow>;

/** Every failure code: a journey that names another does not compile. */
export type FailureCode = keyof typeof FAILURES;
/** Codes of a whole run: what a RunError carries. */
export type RunLevelCode = { [C in FailureCode]: (typeof FAILURES)[C]['runLevel'] extends true ? C : never }[FailureCode];
/** Codes a step, a check or an HTTP expectation may report. */
export type StepFailureCode = Exclude<FailureCode, RunLevelCode>;

export const isFailureCode = (code: unknown): code is FailureCode => typeof code === 'string' && Object.hasOwn(FAILURES, code);
export const isStepFailureCode = (code: unknown): code is StepFailureCode => isFailureCode(code) && !FAILURES[code].runLevel;

const BY_ALIAS: ReadonlyMap<string, StepFailureCode> = new Map(
  (Object.entries(FAILURES) as [StepFailureCode, FailureRow][]).flatMap(([code, r]) => r.aliases.map((a) => [a, code] as const)),
);

/** The failure code a platform error code means, or undefined when no row names it as an alias. */
export const codeOfPlatformError = (platformCode: string | undefined): StepFailureCode | undefined => (platformCode === undefined ? undefined : BY_ALIAS.get(platformCode));

interface Advice {
  symptom: string;
  cause: string;
  action: string;
  owner: Team;
  source: string;
}

/**
 * A row as a report or an evidence bundle shows it (contracts/evidence.schema.json, classification);
 * `known: false` carries the code as given and the runbook's generic fast triage.
 */
export type ClassifiedAs =
  | (Advice & { code: FailureCode; known: true; /** The platform's error code the row was found by (an alias). */ reported_as?: string })
  | (Advice & { code: string; known: false });

const GENERIC = { symptom: 'Unclassified failure', cause: 'No runbook entry for this code', action: 'Follow the runbook\'s fast triage: look the request up by correlation id, resolve the user\'s scope records, confirm the bootstrap artifacts.', owner: TEAMS.platform, source: 'runbook: fast triage' } as const;

const answer = (code: FailureCode, reportedAs?: string): ClassifiedAs => {
  const { symptom, cause, action, owner, source } = FAILURES[code];
  return { code, known: true, ...(reportedAs ? { reported_as: reportedAs } : {}), symptom, cause, action, owner, source };
};

/**
 * The runbook row of a failure code, or of a platform error code through the aliases; anything
 * else gets the runbook's generic correlation-first advice, marked unknown.
 */
export function classify(code: string | undefined): ClassifiedAs {
  if (isFailureCode(code)) return answer(code);
  const aliased = codeOfPlatformError(code);
  if (aliased) return answer(aliased, code);
  return { code: code ?? 'unknown', known: false, ...GENERIC };
}

/**
 * A code someone saw on the platform's side (an envelope, `onramp triage --code`): a platform code
 * first, then a step's failure code (copied from a report or an alert). Never a run-level row: the
 * platform's own `internal_error` is not onramp's.
 */
export function classifyReported(code: string | undefined): ClassifiedAs {
  const aliased = codeOfPlatformError(code);
  if (aliased) return answer(aliased, code);
  if (isStepFailureCode(code)) return answer(code);
  return { code: code ?? 'unknown', known: false, ...GENERIC };
}
