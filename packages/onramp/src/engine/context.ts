// The context a journey's steps share: values extracted by one step for the next, synthetic
// identities, and checks that record (soft) or stop the journey (hard) with expected and actual.
import { isDeepStrictEqual } from 'node:util';
import type { Target } from './target.ts';
import type { BrowserEvidence, CheckResult, ContractViolation, HttpExchange, StepArtifact } from './results.ts';
import { StepFailure, describeMismatch } from './failure.ts';
import { makeIdentity, type SyntheticIdentity } from './identities.ts';
import type { StepFailureCode } from '../failures/catalog.ts';

/** What the running step collects; the runner turns it into a StepResult. */
export class StepRecorder {
  checks: CheckResult[] = [];
  violations: ContractViolation[] = [];
  http: HttpExchange[] = [];
  correlationId?: string;
  /** The X-Request-ID onramp sent with the step's last IdP request (its own id, not the target's). */
  requestId?: string;
  /** The first soft failure, reported when nothing harder happened. */
  softFailure?: StepFailure;
  /** Why the step passed only on a retried request (`rate_limited`): reported as flaky, never as passed plain. */
  flaky?: StepFailure;
  artifacts: StepArtifact[] = [];
  browser?: BrowserEvidence;
  /** Each exchange's raw response body: only a failed step's are cut and masked into its report. */
  readonly responseTexts = new Map<HttpExchange, string>();
}

export interface CheckOptions {
  /** The failure code of the symptom when the check fails; default `check_failed`. */
  code?: StepFailureCode;
  soft?: boolean;
}

export class JourneyContext {
  // Values one step extracts for later ones; their shape is the journey's business.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly vars: Record<string, any> = {};
  readonly #identities = new Map<string, SyntheticIdentity>();
  /** Values that must never reach a report: identity passwords, tokens. */
  readonly secrets = new Set<string>();
  recorder = new StepRecorder();
  /** The step's deadline (its timeout, the journey's, the cleanup grace): what its requests honour. */
  signal: AbortSignal = new AbortController().signal;
  /**
   * For waits (polling until the worker reports, a backoff): the step's deadline, and for steps
   * other than cleanup also the run's interrupt (SIGINT/SIGTERM), so a waiting step stops at once
   * and the journey's cleanup runs. Pass it to a wait, or use `ctx.sleep`.
   */
  waitSignal: AbortSignal = this.signal;
  /**
   * When the step's budget ends (Date.now() ms): its own timeout, and for steps other than cleanup
   * also the journey's. A wait the step chooses (a Retry-After) must fit in it.
   */
  deadline = Infinity;
  /** The run's own signal: aborted when the run is interrupted (its reason a RunError). */
  interrupted: AbortSignal = new AbortController().signal;
  /**
   * Requests that may have created something on the target without onramp learning what (the
   * answer lost, cut short, or abandoned on a slow IdP): the runner then also removes what it finds
   * under the attempt's synthetic names, once each request has `settled` (nothing more can come of it).
   */
  readonly lostAnswers: { request: string; settled: Promise<unknown> }[] = [];

  constructor(
    readonly runId: string,
    readonly journeyId: string,
    readonly attempt: number,
    readonly target: Target,
  ) {}

  /** A synthetic user for this run, the same object for the same label within a journey run. */
  identity(label: string): SyntheticIdentity {
    let id = this.#identities.get(label);
    if (!id) {
      id = makeIdentity(this.runId, `${this.journeyId}-${label}`);
      this.#identities.set(label, id);
      this.secrets.add(id.password);
    }
    return id;
  }

  /** Usernames of the synthetic identities this journey run has made so far. */
  get identityNames(): string[] {
    return [...this.#identities.values()].map((i) => i.username);
  }

  /**
   * Waits `ms`: rejects at once (with the signal's reason) when `waitSignal` fires, so a polling step
   * gives way to cleanup on an interrupt instead of sleeping through it.
   */
  sleep(ms: number): Promise<void> {
    const signal = this.waitSignal;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Records a request whose answer was lost (see `lostAnswers`); `settled` defaults to now. */
  answerLost(request: string, settled: Promise<unknown> = Promise.resolve()): void {
    this.lostAnswers.push({ request, settled: settled.catch(() => undefined) });
  }

  /** Keeps a token (or any secret) for later steps, and out of every report. */
  keepSecret(name: string, value: string): string {
    this.secrets.add(value);
    this.vars[name] = value;
    return value;
  }

  /** Deep-equality check; a hard failure stops the journey, a soft one is recorded. */
  check(name: string, actual: unknown, expected: unknown, o: CheckOptions = {}): boolean {
    return this.assert(name, isDeepStrictEqual(actual, expected), { actual, expected, ...o });
  }

  assert(name: string, ok: boolean, o: CheckOptions & { actual: unknown; expected: unknown }): boolean {
    const soft = o.soft ?? false;
    this.recorder.checks.push({ name, ok, expected: o.expected, actual: o.actual, code: o.code, soft });
    if (ok) return true;
    const failure = new StepFailure(o.code ?? 'check_failed', describeMismatch(name, o.actual, o.expected), o.expected, o.actual);
    if (!soft) throw failure;
    this.recorder.softFailure ??= failure;
    return false;
  }

  fail(code: StepFailureCode, message: string, o: { expected?: unknown; actual?: unknown } = {}): never {
    throw new StepFailure(code, message, o.expected, o.actual);
  }
}
