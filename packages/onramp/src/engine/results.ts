// What a run produces: plain serialisable data, the same for every reporter and for the monitor.
import type { FailureCode, StepFailureCode } from '../failures/catalog.ts';

export type StepStatus = 'passed' | 'failed' | 'error' | 'skipped';
/**
 * Why a step was skipped, as a bounded word (the `reason` label of onramp_step_skipped_total):
 * `unavailable` the target lacks what the check needs (no database for db steps), `earlier_failure`,
 * `condition` (its `when` did not hold), `interrupted`, `kept` (--keep), `no_executor`.
 */
export type SkipReason = 'unavailable' | 'earlier_failure' | 'condition' | 'interrupted' | 'kept' | 'no_executor';
/** The kinds of check a target or a run may require (`require:`, `--require`): a skip of one fails instead. */
export const REQUIRABLE_KINDS = ['db', 'browser'] as const;
export type RequirableKind = (typeof REQUIRABLE_KINDS)[number];
/** interrupted: the run was cancelled (SIGINT/SIGTERM) or its target died while it ran. */
export type JourneyStatus = 'passed' | 'failed' | 'flaky' | 'error' | 'skipped' | 'interrupted';

export interface CheckResult {
  name: string;
  ok: boolean;
  expected: unknown;
  actual: unknown;
  /** Failure code naming the symptom, e.g. `project_context_required_despite_header`. */
  code?: StepFailureCode;
  /** A soft check records and lets the journey go on. */
  soft: boolean;
}

export interface ContractViolation {
  instancePath: string;
  schemaPath: string;
  message: string;
  expected: unknown;
  actual: unknown;
}

export interface HttpExchange {
  method: string;
  url: string;
  status?: number;
  requestId: string;
  traceparent: string;
  /** ms from sending to the response headers, and to the end of the body. */
  timings: { headersMs?: number; totalMs: number };
  operationId?: string;
  /** The headers sent, credentials masked (triage reads X-Project-ID from here). */
  requestHeaders?: Record<string, string>;
  /** The first bytes of the response body, redacted; kept for failed steps only. */
  responseBody?: string;
  /** The answer asked to retry (429/503 with Retry-After): onramp waited this long (ms) and sent the request again. */
  retryAfterMs?: number;
}

export interface StepResult {
  /** The step's stable id (stepId): what metrics, results.json, JUnit and evidence key on. */
  id: string;
  /** Its title, for people. */
  name: string;
  kind: string;
  status: StepStatus;
  durationMs: number;
  /** Why a skipped step did not run (its `message` says it in words). */
  skipReason?: SkipReason;
  /** The first failure's code, message, expected and actual; checks keep all of them. */
  code?: StepFailureCode;
  message?: string;
  expected?: unknown;
  actual?: unknown;
  /**
   * A passed step that needed a retried request (a 429 or 503 with Retry-After): why, as a failure
   * would say it. Its journey is flaky, never passed; both requests are in `http`.
   */
  flaky?: FlakyReason;
  correlationId?: string;
  /**
   * For a step whose failure is not a platform answer (an IdP call, the IdP's own pages): the
   * X-Request-ID onramp sent with the step's last IdP request. onramp's id, not the target's
   * correlation id (`sentBy: 'onramp'`): search the IdP's or a gateway's access log with it.
   */
  requestId?: SentRequestId;
  checks: CheckResult[];
  violations: ContractViolation[];
  http: HttpExchange[];
  /** An always-run (cleanup) step. */
  always: boolean;
  /** Files the step left in the report folder (browser screenshots, traces), relative to it. */
  artifacts?: StepArtifact[];
  /** What a browser step saw go wrong in the page, whether or not the step failed. */
  browser?: BrowserEvidence;
  /**
   * The step's incident evidence bundle (evidence.md, relative to the report folder), set by the
   * evidence sink when it wrote one: reports link it without knowing how evidence is collected.
   */
  evidence?: string;
}

export interface FlakyReason {
  code: StepFailureCode;
  message: string;
  expected?: unknown;
  actual?: unknown;
}

/** An X-Request-ID onramp made up and sent: marked as onramp's, never to be read as the target's correlation id. */
export interface SentRequestId {
  id: string;
  sentBy: 'onramp';
}

export interface BrowserEvidence {
  /** Responses of 400 and above, and requests that got no response; query strings dropped. */
  failedRequests: { method: string; url: string; status?: number; failure?: string; correlationId?: string }[];
  /** Console errors, uncaught page errors and error envelopes shown on the page. */
  consoleErrors: { text: string; source: 'console' | 'pageerror' | 'envelope'; correlationId?: string }[];
  /**
   * The X-Correlation-ID of the last answer the page got (any status): the platform call it last
   * saw, during the step, else in an earlier step of the attempt (a step that only reads the page).
   */
  lastCorrelationId?: string;
  /** Who the page was signed in as when the step ended, as the journey said (`BrowserSession.signedInAs`). */
  signedInAs?: string;
}

export interface StepArtifact {
  kind: 'screenshot' | 'trace';
  /** Relative to the output folder. */
  path: string;
}

export interface AttemptResult {
  attempt: number;
  status: Exclude<JourneyStatus, 'flaky'>;
  durationMs: number;
  steps: StepResult[];
  /**
   * Synthetic identities of the attempt that a lost answer left (its create committed, its id never
   * came back) and that cleanup found by name and removed: `Keycloak user NAME`, `platform user ID`, `tenant SLUG`.
   */
  reclaimed?: string[];
}

export interface JourneyResult {
  id: string;
  title: string;
  tags: string[];
  /** passed only when the first attempt passed with no retried request; a later pass, or a step's retried request (`flaky` on the step), is flaky. */
  status: JourneyStatus;
  durationMs: number;
  attempts: AttemptResult[];
  /** Why it did not run, for skipped journeys. */
  reason?: string;
}

export interface RunResult {
  runId: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** error: the run itself failed (target did not start or died mid-run); `error` says why. */
  status: 'passed' | 'failed' | 'error';
  error?: RunError;
  /** What a report needs to say where it ran: onramp's version, the target's URLs, active faults. */
  meta?: RunMeta;
  /** Synthetic identities cleanup could not remove; absent when it removed everything. */
  leftovers?: Leftover[];
  journeys: JourneyResult[];
}

/** A journey attempt whose cleanup did not finish: what it leaves on the target, and why. */
export interface Leftover {
  journey: string;
  attempt: number;
  /** Usernames of the attempt's synthetic identities. */
  identities: string[];
  tenantId?: string;
  reason: string;
}

export interface RunMeta {
  onrampVersion: string;
  targetUrls: { api: string; idp: string; console?: string };
  faults: string[];
}

/** A run-level failure: not one journey's, the whole run's. */
export interface RunError {
  /** A run-level code (`interrupted`, `target_start_failed`, ...), or a step's that ended the run (`target_unreachable`). */
  code: FailureCode;
  message: string;
}

/** A step that failed a check or broke: what every report lists, and what fails a journey. */
export const stepFailed = (s: { status: string }): boolean => s.status === 'failed' || s.status === 'error';

/**
 * A failed step's code, for a consumer that needs one (a metric label): the runner always sets it;
 * a result from elsewhere without one gets the generic row of its status, never the status itself.
 */
export const failureCodeOf = (s: Pick<StepResult, 'code' | 'status'>): StepFailureCode => s.code ?? (s.status === 'error' ? 'step_error' : 'check_failed');

/** The attempt whose steps a report shows: the last one. */
export const lastAttempt = (j: JourneyResult): AttemptResult | undefined => j.attempts.at(-1);
