// The journey runner: each journey's steps in order over one context; a hard failure skips the
// rest except always-run (cleanup) steps; per-step and per-journey timeouts through AbortSignal;
// retries are recorded as attempts, and a journey that passes only on retry is flaky, not passed.
// Journeys run up to `concurrency` at a time. A run signal (SIGINT/SIGTERM, a target that died)
// stops starting steps and ends every wait of the steps in flight (ctx.waitSignal, ctx.sleep); a
// request in flight finishes, so cleanup knows what it created; then the cleanup steps run, each
// within its own timeout. The grace period is derived from those timeouts (cleanupBudgetMs), not a
// fixed figure. An attempt whose create lost its answer is then searched by its synthetic names
// (reclaim.ts). Identities that cleanup could not remove are listed on the run (`leftovers`).
import { stepId, type JourneyDefinition, type Step } from './journey.ts';
import { targetSecrets, type Target } from './target.ts';
import type { AttemptResult, HttpExchange, JourneyResult, Leftover, RequirableKind, RunError, RunMeta, RunResult, SkipReason, StepResult } from './results.ts';
import { stepFailed } from './results.ts';
import { bodyExcerpt } from './transport.ts';
import type { StepExecutor } from './executors/executor.ts';
import type { Reporter } from './reporter.ts';
import { JourneyContext, StepRecorder } from './context.ts';
import { StepFailure } from './failure.ts';
import { newRunId, syntheticName } from './identities.ts';
import { redactDeep } from './redact.ts';
import { raceAbort } from './abort.ts';
import { RECLAIM_TIMEOUT_MS, reclaimLost } from './reclaim.ts';
import { isFailureCode, isStepFailureCode } from '../failures/catalog.ts';

export interface RunOptions {
  journeys: JourneyDefinition[];
  target: Target;
  executors: StepExecutor[];
  retries?: number;
  runId?: string;
  reporter?: Required<Omit<Reporter, 'name'>>;
  stepTimeoutMs?: number;
  journeyTimeoutMs?: number;
  /** Journeys run at once (default 1). */
  concurrency?: number;
  /** Aborting it interrupts the run; its reason (a RunError) becomes the run's error. */
  signal?: AbortSignal;
  /**
   * Time the step in flight and the cleanup steps still get once the run is interrupted; default:
   * derived from the steps' own timeouts (cleanupBudgetMs), so it never cuts a cleanup step short.
   */
  graceMs?: number;
  /** Knows, while the run goes on, which attempts still have identities to clean up (for a hard exit). */
  tracker?: CleanupTracker;
  meta?: RunMeta;
  /** Skip the cleanup of a journey attempt that failed, leaving its identities for investigation. */
  keepFailed?: boolean;
  /**
   * Kinds of check that must run (`--require`), beside the target's own `require`: a step of one
   * that would be skipped for want of what it needs fails as check_unavailable instead.
   */
  require?: RequirableKind[];
  /** Wraps each step, skipped ones too (Playwright Test's runner makes each a test.step). */
  aroundStep?: (step: Step, run: () => Promise<StepResult>) => Promise<StepResult>;
}

export async function runJourneys(o: RunOptions): Promise<RunResult> {
  const runId = o.runId ?? newRunId();
  const started = new Date();
  await o.reporter?.onRunStart({ runId, target: o.target.name, journeys: o.journeys.map(({ id, title }) => ({ id, title })) });
  const grace = graceSignal(o.signal, o.graceMs ?? cleanupBudgetMs(o.journeys, o.stepTimeoutMs));
  const journeys: JourneyResult[] = new Array(o.journeys.length);
  const leftovers: Leftover[] = [];
  const tracker = o.tracker ?? new CleanupTracker();
  const order = startOrder(o.journeys);
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < order.length; n = next++) {
      const i = order[n]!;
      journeys[i] = await runJourney(o.journeys[i]!, runId, { ...o, tracker }, grace, leftovers);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 1, o.journeys.length)) }, worker));
  const finished = new Date();
  const error = o.signal?.aborted ? runErrorOf(o.signal.reason) : undefined;
  const run: RunResult = {
    runId,
    target: o.target.name,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    status: error ? 'error' : journeys.every((j) => j.status === 'passed' || j.status === 'skipped') ? 'passed' : 'failed',
    ...(error ? { error } : {}),
    ...(o.meta ? { meta: o.meta } : {}),
    ...(leftovers.length ? { leftovers } : {}),
    journeys,
  };
  await o.reporter?.onRunEnd(run);
  return run;
}

const DEFAULT_STEP_TIMEOUT_MS = 30_000;

/**
 * The longest an interrupted journey can still need: the step in flight (at most its own timeout)
 * and then every cleanup step, each within its own timeout. The run's grace is the largest over its
 * journeys (they clean up side by side).
 */
export function cleanupBudgetMs(journeys: JourneyDefinition[], stepTimeoutMs = DEFAULT_STEP_TIMEOUT_MS): number {
  const timeout = (s: Step) => s.timeoutMs ?? stepTimeoutMs;
  return Math.max(0, ...journeys.map((j) => Math.max(0, ...j.steps.filter((s) => !s.always).map(timeout)) + j.steps.filter((s) => s.always).reduce((t, s) => t + timeout(s), 0)));
}

/**
 * The attempts in flight and the synthetic identities each has made: what an exit right now would
 * leave on the target (a second SIGINT/SIGTERM names it).
 */
export class CleanupTracker {
  readonly #live = new Map<JourneyContext, { cleaning: boolean }>();
  begin(ctx: JourneyContext): void {
    this.#live.set(ctx, { cleaning: false });
  }
  cleaning(ctx: JourneyContext): void {
    const s = this.#live.get(ctx);
    if (s) s.cleaning = true;
  }
  end(ctx: JourneyContext): void {
    this.#live.delete(ctx);
  }
  pending(): Leftover[] {
    return [...this.#live].flatMap(([ctx, s]) => {
      const l = leftoverOf(ctx, s.cleaning ? 'its cleanup was still running' : 'its cleanup had not started');
      return l ? [l] : [];
    });
  }
}

function leftoverOf(ctx: JourneyContext, reason: string, patterns: string[] = []): Leftover | undefined {
  const identities = [...ctx.identityNames, ...patterns];
  // createSyntheticTenant (onramp/steps) keeps the tenant it made in vars.tenantId.
  const tenantId = typeof ctx.vars.tenantId === 'string' ? ctx.vars.tenantId : undefined;
  if (!identities.length && !tenantId) return undefined;
  return { journey: ctx.journeyId, attempt: ctx.attempt, identities, ...(tenantId ? { tenantId } : {}), reason };
}

/** A cleanup step that did not do its work: failed, cut short, or not run (but for its condition or --keep). */
function unfinishedCleanup(steps: StepResult[]): StepResult | undefined {
  return steps.find((s) => s.always && (stepFailed(s) || (s.status === 'skipped' && s.message !== 'its condition does not hold' && !s.message?.startsWith('kept for investigation'))));
}

/**
 * Indices in the order journeys start: browser journeys first, as the longest (a real browser's
 * page loads), so they do not start last and stretch the run; the rest as defined. Results keep
 * the defined order.
 */
export function startOrder(journeys: JourneyDefinition[]): number[] {
  const browser = journeys.map((j) => j.steps.some((s) => s.kind === 'browser'));
  const indices = journeys.map((_, i) => i);
  return [...indices.filter((i) => browser[i]), ...indices.filter((i) => !browser[i])];
}

/**
 * A run that could not start (the target did not come up): every selected journey is reported as
 * an error with the reason, and the reports are written as for any run.
 */
export async function reportFailedRun(o: Pick<RunOptions, 'journeys' | 'runId' | 'reporter' | 'meta'> & { target: string }, error: RunError): Promise<RunResult> {
  const runId = o.runId ?? newRunId();
  const now = new Date().toISOString();
  await o.reporter?.onRunStart({ runId, target: o.target, journeys: o.journeys.map(({ id, title }) => ({ id, title })) });
  const journeys: JourneyResult[] = o.journeys.map((j) => ({ id: j.id, title: j.title, tags: j.tags, status: 'error', durationMs: 0, attempts: [], reason: `not run: ${error.message}` }));
  const run: RunResult = { runId, target: o.target, startedAt: now, finishedAt: now, durationMs: 0, status: 'error', error, ...(o.meta ? { meta: o.meta } : {}), journeys };
  for (const j of journeys) await o.reporter?.onJourneyEnd(j);
  await o.reporter?.onRunEnd(run);
  return run;
}

/** The run-level error carried by an abort reason (any other reason is an internal error). */
export function runErrorOf(reason: unknown): RunError {
  const r = reason as Partial<RunError> | undefined;
  if (r && isFailureCode(r.code) && typeof r.message === 'string') return { code: r.code, message: r.message };
  return { code: 'internal_error', message: (reason as Error)?.message ?? String(reason) };
}

async function runJourney(journey: JourneyDefinition, runId: string, o: RunOptions & { tracker: CleanupTracker }, grace: AbortSignal, leftovers: Leftover[]): Promise<JourneyResult> {
  const base = { id: journey.id, title: journey.title, tags: journey.tags };
  const notRun = async (status: 'skipped' | 'interrupted', reason: string) => {
    const result: JourneyResult = { ...base, status, durationMs: 0, attempts: [], reason };
    await o.reporter?.onJourneyEnd(result);
    return result;
  };
  if (o.signal?.aborted) return notRun('interrupted', `not started: ${runErrorOf(o.signal.reason).message}`);
  if (journey.notInProduction && o.target.production) return notRun('skipped', `refused: target "${o.target.name}" is marked production`);
  const attempts: AttemptResult[] = [];
  const t0 = performance.now();
  for (let attempt = 1; attempt <= (o.retries ?? 0) + 1; attempt++) {
    await o.reporter?.onJourneyStart({ id: journey.id, title: journey.title }, attempt);
    const result = await runAttempt(journey, runId, attempt, o, grace, leftovers);
    attempts.push(result);
    if (result.status === 'passed' || result.status === 'interrupted') break;
  }
  const last = attempts.at(-1)!;
  const status = last.status === 'passed' ? (attempts.length > 1 || last.steps.some((s) => s.flaky) ? 'flaky' : 'passed') : last.status;
  const result: JourneyResult = { ...base, status, durationMs: Math.round(performance.now() - t0), attempts };
  await o.reporter?.onJourneyEnd(result);
  return result;
}

async function runAttempt(journey: JourneyDefinition, runId: string, attempt: number, o: RunOptions & { tracker: CleanupTracker }, grace: AbortSignal, leftovers: Leftover[]): Promise<AttemptResult> {
  const ctx = new JourneyContext(runId, journey.id, attempt, o.target);
  const journeyTimeoutMs = journey.timeoutMs ?? o.journeyTimeoutMs ?? 120_000;
  const journeySignal = AbortSignal.timeout(journeyTimeoutMs);
  const journeyDeadline = Date.now() + journeyTimeoutMs;
  const runSignal = o.signal ?? new AbortController().signal;
  ctx.interrupted = runSignal;
  o.tracker.begin(ctx);
  try {
    const result = await runAttemptSteps(journey, o, ctx, { signal: journeySignal, deadline: journeyDeadline }, runSignal, grace);
    // After the cleanup steps, what lost answers may have left is looked up by name (not when --keep keeps the attempt's identities).
    const kept = o.keepFailed && result.steps.some(stepFailed);
    const reclaimed = kept ? undefined : await reclaimLost(ctx, o.journeys.map((j) => j.id), AbortSignal.any([AbortSignal.timeout(RECLAIM_TIMEOUT_MS), grace]));
    if (reclaimed?.removed.length) result.reclaimed = reclaimed.removed;
    const unfinished = unfinishedCleanup(result.steps);
    const reasons = [
      ...(unfinished ? [`${unfinished.name}: ${unfinished.status}${unfinished.code ? ` (${unfinished.code})` : ''}${unfinished.message ? `: ${unfinished.message}` : ''}`] : []),
      ...(reclaimed?.errors.length ? [`removal by name: ${reclaimed.errors.join('; ')}`] : []),
    ];
    // A search that failed may leave what no id names (a tenant whose answer was lost): its names' pattern is listed.
    const left = reasons.length ? leftoverOf(ctx, reasons.join('; '), reclaimed?.errors.length ? [`${syntheticName(runId, journey.id)}-*`] : []) : undefined;
    if (left) leftovers.push(left);
    return result;
  } finally {
    o.tracker.end(ctx);
  }
}

async function runAttemptSteps(journey: JourneyDefinition, o: RunOptions & { tracker: CleanupTracker }, ctx: JourneyContext, journeyBudget: { signal: AbortSignal; deadline: number }, runSignal: AbortSignal, grace: AbortSignal): Promise<AttemptResult> {
  const journeySignal = journeyBudget.signal;
  const attempt = ctx.attempt;
  const steps: StepResult[] = [];
  let stopped = false;
  const around = o.aroundStep ?? ((_: Step, run: () => Promise<StepResult>) => run());
  const secrets = targetSecrets(o.target);
  const t0 = performance.now();
  const required = new Set<string>([...(o.require ?? []), ...(o.target.require ?? [])]);
  for (const step of journey.steps) {
    const executor = o.executors.find((e) => e.kind === step.kind);
    const unavailable = executor ? executor.unavailable?.(ctx) : `no executor for step kind "${step.kind}"`;
    const skip: [SkipReason, string] | undefined =
      runSignal.aborted && !step.always ? ['interrupted', `the run was interrupted (${runErrorOf(runSignal.reason).code})`]
      : stopped && !step.always ? ['earlier_failure', 'an earlier step failed']
      : o.keepFailed && step.always && steps.some(stepFailed) ? ['kept', 'kept for investigation (--keep): its synthetic identities stay until `onramp sweep` removes them']
      : step.when && !step.when(ctx) ? ['condition', 'its condition does not hold']
      : unavailable ? [executor ? 'unavailable' : 'no_executor', unavailable]
      : undefined;
    if (skip) {
      // A required kind of check that cannot run is a failure of the run's setup, not a skip; the
      // journey's other steps still run (it is recorded like a soft failure).
      const mustRun = (skip[0] === 'unavailable' || skip[0] === 'no_executor') && required.has(step.kind);
      const result = await around(step, async () => (mustRun ? unavailableStep(step, skip[1]) : skippedStep(step, skip)));
      steps.push(result);
      await o.reporter?.onStepEnd(journey.id, result);
      continue;
    }
    if (step.always) o.tracker.cleaning(ctx);
    await o.reporter?.onStepStart(journey.id, { id: stepId(step), name: step.name, kind: step.kind });
    let hard = false;
    const result = await around(step, async () => {
      // Cleanup gets its own budget: it must run even when the journey's time is up. A step in flight
      // when the run is interrupted finishes (what it started on the target is then known to the
      // cleanup), unless the grace period runs out first.
      const stepTimeoutMs = step.timeoutMs ?? o.stepTimeoutMs ?? 30_000;
      const stepTimeout = AbortSignal.timeout(stepTimeoutMs);
      ctx.signal = step.always ? AbortSignal.any([stepTimeout, grace]) : AbortSignal.any([journeySignal, stepTimeout, grace]);
      ctx.deadline = step.always ? Date.now() + stepTimeoutMs : Math.min(Date.now() + stepTimeoutMs, journeyBudget.deadline);
      // Waits end on the interrupt too (but a cleanup step's: cleanup runs because of it).
      ctx.waitSignal = step.always ? ctx.signal : AbortSignal.any([ctx.signal, runSignal]);
      ctx.recorder = new StepRecorder();
      const ran = await runStep(step, executor!, ctx, { journey: journeySignal, step: stepTimeout, grace, run: runSignal });
      hard = ran.hard;
      return redactDeep(ran.result, [...ctx.secrets, ...secrets]);
    });
    steps.push(result);
    await o.reporter?.onStepEnd(journey.id, result);
    // Soft checks record and go on; a hard failure or an error stops all but cleanup.
    if (hard && !step.soft) stopped = true;
  }
  // Executors that hold something per attempt (the browser's context) let go of it here.
  await Promise.all(o.executors.map((e) => e.endAttempt?.(ctx).catch(() => undefined)));
  const bad = steps.filter((s) => stepFailed(s) && !s.always);
  const cleanupBad = steps.some((s) => s.always && stepFailed(s));
  const status =
    runSignal.aborted ? 'interrupted'
    : bad.some((s) => s.status === 'error') ? 'error'
    : bad.length || cleanupBad ? 'failed'
    : 'passed';
  return { attempt, status, durationMs: Math.round(performance.now() - t0), steps };
}

async function runStep(step: Step, executor: StepExecutor, ctx: JourneyContext, signals: { journey: AbortSignal; step: AbortSignal; grace: AbortSignal; run: AbortSignal }): Promise<{ result: StepResult; hard: boolean }> {
  const t0 = performance.now();
  const rec = ctx.recorder;
  const base = { id: stepId(step), name: step.name, kind: step.kind, always: !!step.always };
  const done = (extra: Partial<StepResult>, hard = extra.status !== undefined && extra.status !== 'passed') => {
    const result: StepResult = {
      ...base,
      status: 'passed',
      durationMs: Math.round(performance.now() - t0),
      correlationId: rec.correlationId,
      ...(rec.requestId ? { requestId: { id: rec.requestId, sentBy: 'onramp' as const } } : {}),
      checks: rec.checks.map((c) => (c.code === undefined || isStepFailureCode(c.code) ? c : { ...c, code: 'check_failed' })),
      violations: rec.violations,
      // Response bodies are evidence of a failure; a passed step's would only bloat the report.
      http: stepFailed({ status: extra.status ?? 'passed' }) ? rec.http.map((h) => withBody(h, rec.responseTexts.get(h))) : rec.http,
      ...(rec.artifacts.length ? { artifacts: rec.artifacts } : {}),
      ...(rec.browser ? { browser: rec.browser } : {}),
      ...(rec.flaky && (extra.status ?? 'passed') === 'passed' ? { flaky: { code: rec.flaky.code, message: rec.flaky.message, expected: rec.flaky.expected, actual: rec.flaky.actual } } : {}),
      ...withKnownCode(extra),
    };
    return { result, hard };
  };
  const withBody = (h: HttpExchange, text: string | undefined): HttpExchange => (text === undefined ? h : { ...h, responseBody: bodyExcerpt(text, 2_000) });
  try {
    await raceAbort(executor.run(step, ctx), ctx.signal);
    const soft = rec.softFailure;
    return soft ? done({ status: 'failed', code: soft.code, message: soft.message, expected: soft.expected, actual: soft.actual }, false) : done({});
  } catch (err) {
    if (ctx.signal.aborted) {
      if (!signals.step.aborted && !signals.journey.aborted) {
        const why = runErrorOf(signals.grace.reason);
        return done({ status: 'error', code: 'step_interrupted', message: `cut short when the grace period after the interrupt ran out: ${why.message}`, expected: 'completion', actual: why.code });
      }
      const journeyTimedOut = signals.journey.aborted && !signals.step.aborted;
      return done({ status: 'failed', code: journeyTimedOut ? 'journey_timeout' : 'step_timeout', message: `${journeyTimedOut ? 'journey' : 'step'} ran out of time`, expected: 'completion', actual: 'timeout' });
    }
    // A wait that gave way to the interrupt (ctx.sleep, or a wait on ctx.waitSignal).
    if (!step.always && signals.run.aborted && (err === signals.run.reason || (err as Error)?.name === 'AbortError')) {
      const why = runErrorOf(signals.run.reason);
      return done({ status: 'error', code: 'step_interrupted', message: `stopped waiting when the run was interrupted: ${why.message}`, expected: 'completion', actual: why.code });
    }
    if (err instanceof StepFailure) return done({ status: 'failed', code: err.code, message: err.message, expected: err.expected, actual: err.actual });
    return done({ status: 'error', code: 'step_error', message: (err as Error)?.message ?? String(err) });
  }
}

/**
 * A journey that runs without the type checker (tsx loads TypeScript as it is; plain JavaScript)
 * may name a code without a row: it is reported as `check_failed`, the code it named kept in the
 * message, so reports and metric labels stay within the catalogue.
 */
function withKnownCode(r: Partial<StepResult>): Partial<StepResult> {
  if (r.code === undefined || isStepFailureCode(r.code)) return r;
  return { ...r, code: 'check_failed', message: `${r.message ?? ''} [the journey named "${String(r.code)}", which is no step failure code of the catalogue]`.trim() };
}

/** Fires `graceMs` after `run` aborts: the deadline for cleanup steps of an interrupted run. */
function graceSignal(run: AbortSignal | undefined, graceMs: number): AbortSignal {
  const grace = new AbortController();
  const arm = () => setTimeout(() => grace.abort(run?.reason), graceMs).unref();
  if (run?.aborted) arm();
  else run?.addEventListener('abort', arm, { once: true });
  return grace.signal;
}

function skippedStep(step: Step, [skipReason, message]: [SkipReason, string]): StepResult {
  return { id: stepId(step), name: step.name, kind: step.kind, always: !!step.always, status: 'skipped', skipReason, durationMs: 0, message, checks: [], violations: [], http: [] };
}

/** A step of a required kind that cannot run: what is missing and how to provide it. */
function unavailableStep(step: Step, why: string): StepResult {
  return {
    id: stepId(step), name: step.name, kind: step.kind, always: !!step.always, status: 'failed', durationMs: 0, checks: [], violations: [], http: [],
    code: 'check_unavailable',
    message: `${step.kind} checks are required (require: [${step.kind}]) but this one cannot run: ${why}`,
    expected: `a ${step.kind} check that runs`,
    actual: why,
  };
}
