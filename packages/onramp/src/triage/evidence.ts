// The incident evidence bundle as data (evidence.json, schema contracts/evidence.schema.json), in
// the runbook's order: failure and classification, envelope and request, logs, user scope records
// and bootstrap artifacts, audit, Keycloak. A collector that cannot run says why instead of failing
// the bundle.
import type { ClassifiedAs, StepFailureCode } from '../failures/catalog.ts';

/** One item of the runbook's diagnostic checklist: ok, failed or unknown (null), with what it saw. */
export interface ChecklistItem {
  check: string;
  ok: boolean | null;
  detail: string;
  code?: StepFailureCode;
}

export type Section<T> = ({ available: true } & T) | { available: false; reason: string };

export const unavailable = (reason: string): { available: false; reason: string } => ({ available: false, reason });

export interface FailureRef {
  journey?: string;
  /** The step's title. */
  step?: string;
  /** The step's stable id (absent for a failure brought from outside a run). */
  step_id?: string;
  attempt?: number;
  code: StepFailureCode;
  message?: string;
  expected?: unknown;
  actual?: unknown;
}

export interface RequestEvidence {
  method: string;
  url: string;
  status?: number;
  request_id?: string;
  traceparent?: string;
  /** Headers as sent, credentials masked; absent when only the log line is known. */
  headers?: Record<string, string>;
  /** Whether X-Project-ID was sent: null when the source does not record request headers. */
  project_id_sent: boolean | null;
  project_id?: string;
}

export interface EnvelopeEvidence {
  code?: string;
  message?: string;
  correlation_id?: string;
  /** The envelope as the client got it (excerpt, redacted). */
  body?: unknown;
  request?: RequestEvidence;
  from: 'step' | 'log' | 'reported';
}

export interface LogsEvidence {
  query: string;
  grafana_url?: string;
  lines: Section<{ from: string; lines: Record<string, unknown>[] }>;
}

export interface MembershipRow {
  id: string;
  tenant_id?: string;
  project_id?: string;
  role: string;
  active: boolean;
  deleted_at: string | null;
  created_at: string;
  is_default?: boolean;
}

export interface ScopeSnapshot {
  taken_at: string;
  user: { id: string; org_id: string | null; email: string; display_name: string; idp_subject: string | null } | null;
  tenant_memberships: MembershipRow[];
  project_memberships: MembershipRow[];
  /** The default project of each tenant the user belongs to, and whether the user is an active member. */
  default_projects: { tenant_id: string; project_id: string | null; active_member: boolean }[];
  posix_identity: { uid: number; gid: number; username: string } | null;
}

export interface AuditRow {
  id: string;
  action: string;
  actor_id: string | null;
  target_id: string | null;
  tenant_id: string | null;
  correlation_id: string | null;
  payload: unknown;
  created_at: string;
}

export interface KeycloakEvidence {
  exists: boolean;
  id?: string;
  username?: string;
  enabled?: boolean;
  email?: string;
  attributes?: Record<string, unknown>;
  required_actions?: string[];
  update_password_pending?: boolean;
  sessions?: { started: string; last_access: string; clients: string[] }[];
  verify?: Section<{ tenant_id: string; in_sync: unknown; checks: unknown }>;
}

export interface CompareEvidence {
  before: string;
  before_taken_at: string;
  after_taken_at: string;
  changes: { table: string; id: string; what: string; before: unknown; after: unknown }[];
  /** Audit rows about the user (or by correlation id) written between the two snapshots. */
  privileged_mutations: AuditRow[];
}

export interface BrowserStepEvidence {
  /** The username the page was signed in as (as the journey said), null when no step signed in. */
  signed_in_as: string | null;
  /** Relative to the report folder (the run's --output), as results.json names them. */
  screenshot: string | null;
  trace: string | null;
  /** The X-Correlation-ID of the last answer the page got during the step. */
  last_correlation_id: string | null;
  /** The X-Request-ID onramp sent with the step's navigations (onramp's id, not the target's). */
  request_id: string | null;
}

export interface Evidence {
  version: 1;
  correlation_id: string | null;
  created_at: string;
  source: 'run' | 'triage';
  target: { name: string; api_url: string };
  run_id?: string;
  failures: FailureRef[];
  classification: ClassifiedAs;
  /** The runbook's diagnostic checklist over this evidence. */
  checklist: ChecklistItem[];
  envelope: Section<EnvelopeEvidence>;
  logs: LogsEvidence;
  user: { id: string | null; resolved_from: string };
  /** A browser step's failure: who was signed in, its screenshot and trace, the page's last platform correlation id. */
  browser?: BrowserStepEvidence;
  db: Section<ScopeSnapshot>;
  audit: Section<{ via: 'db' | 'api'; rows: AuditRow[] }>;
  keycloak: Section<KeycloakEvidence>;
  compare?: CompareEvidence;
  retest?: { journey: string; status: string; correlation_ids: string[]; failures: FailureRef[] };
  /** Whether the symptom shows in the state now: null when no state check exists for the code. */
  reproduces: boolean | null;
}
