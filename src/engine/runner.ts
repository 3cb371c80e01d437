// The journey runner: each journey's steps in order over one context; a hard failure skips the
// rest except always-run (cleanup) steps; per-step and per-journey timeouts through AbortSignal;
// retries are recorded as attempts, and a journey that passes only on retry is flaky, not passed.
import type { JourneyDefinition, Step } from './journey.ts';
import type { Target } from './target.ts';
import type { AttemptResult, JourneyResult, RunResult, StepResult } from './results.ts';
import type { StepExecutor } from './executors/executor.ts';
import type { Reporter } from '../reporters/reporter.ts';
import { JourneyContext, StepRecorder } from './context.ts';
import { StepFailure } from './failure.ts';
import { newRunId } from './identities.ts';
import { redactDeep } from './redact.ts';

export interface RunOptions {
  journeys: JourneyDefinition[];
  target: Target;
  executors: StepExecutor[];
  retries?: number;
  runId?: string;
  reporter?: Required<Omit<Reporter, 'name'>>;
  stepTimeoutMs?: number;
  journeyTimeoutMs?: number;
}

export async function runJourneys(o: RunOptions): Promise<RunResult> {
  const runId = o.runId ?? newRunId();
  const started = new Date();
  await o.reporter?.onRunStart({ runId, target: o.target.name, journeys: o.journeys.map(({ id, title }) => ({ id, title })) });
  const journeys: JourneyResult[] = [];
  for (const journey of o.journeys) journeys.push(await runJourney(journey, runId, o));
  const finished = new Date();
  const run: RunResult = {
    runId,
    target: o.target.name,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    status: journeys.every((j) => j.status === 'passed' || j.status === 'skipped') ? 'passed' : 'failed',
    journeys,
  };
  await o.reporter?.onRunEnd(run);
  return run;
}

async function runJourney(journey: JourneyDefinition, runId: string, o: RunOptions): Promise<JourneyResult> {
  const base = { id: journey.id, title: journey.title, tags: journey.tags };
  if (journey.notInProduction && o.target.production) {
    const skipped: JourneyResult = { ...base, status: 'skipped', durationMs: 0, attempts: [], reason: `refused: target "${o.target.name}" is marked production` };
    await o.reporter?.onJourneyEnd(skipped);
    return skipped;
  }
  const attempts: AttemptResult[] = [];
  const t0 = performance.now();
  for (let attempt = 1; attempt <= (o.retries ?? 0) + 1; attempt++) {
    await o.reporter?.onJourneyStart({ id: journey.id, title: journey.title }, attempt);
    const result = await runAttempt(journey, runId, attempt, o);
    attempts.push(result);
    if (result.status === 'passed') break;
  }
  const last = attempts.at(-1)!;
  const status = last.status === 'passed' ? (attempts.length > 1 ? 'flaky' : 'passed') : last.status;
  const result: JourneyResult = { ...base, status, durationMs: Math.round(performance.now() - t0), attempts };
  await o.reporter?.onJourneyEnd(result);
  return result;
}

async function runAttempt(journey: JourneyDefinition, runId: string, attempt: number, o: RunOptions): Promise<AttemptResult> {
  const ctx = new JourneyContext(runId, journey.id, attempt, o.target);
  const journeySignal = AbortSignal.timeout(journey.timeoutMs ?? o.journeyTimeoutMs ?? 120_000);
  const steps: StepResult[] = [];
  let stopped = false;
  const t0 = performance.now();
  for (const step of journey.steps) {
    if (stopped && !step.always) {
      steps.push(skippedStep(step, 'an earlier step failed'));
      continue;
    }
    if (step.when && !step.when(ctx)) {
      steps.push(skippedStep(step, 'its condition does not hold'));
      continue;
    }
    const executor = o.executors.find((e) => e.kind === step.kind);
    const why = executor ? executor.unavailable?.(ctx) : `no executor for step kind "${step.kind}"`;
    if (why) {
      steps.push(skippedStep(step, why));
      continue;
    }
    await o.reporter?.onStepStart(journey.id, { name: step.name, kind: step.kind });
    // Cleanup gets its own budget: it must run even when the journey's time is up.
    const stepTimeout = AbortSignal.timeout(step.timeoutMs ?? o.stepTimeoutMs ?? 30_000);
    ctx.signal = step.always ? stepTimeout : AbortSignal.any([journeySignal, stepTimeout]);
    ctx.recorder = new StepRecorder();
    const { result: raw, hard } = await runStep(step, executor!, ctx, journeySignal, stepTimeout);
    const result = redactDeep(raw, [...ctx.secrets, ...targetSecrets(o.target)]);
    steps.push(result);
    await o.reporter?.onStepEnd(journey.id, result);
    // Soft checks record and go on; a hard failure or an error stops all but cleanup.
    if (hard && !step.soft) stopped = true;
  }
  const bad = steps.filter((s) => (s.status === 'failed' || s.status === 'error') && !s.always);
  const cleanupBad = steps.some((s) => s.always && (s.status === 'failed' || s.status === 'error'));
  const status = bad.some((s) => s.status === 'error') ? 'error' : bad.length || cleanupBad ? 'failed' : 'passed';
  return { attempt, status, durationMs: Math.round(performance.now() - t0), steps };
}

async function runStep(step: Step, executor: StepExecutor, ctx: JourneyContext, journeySignal: AbortSignal, stepSignal: AbortSignal): Promise<{ result: StepResult; hard: boolean }> {
  const t0 = performance.now();
  const rec = ctx.recorder;
  const base = { name: step.name, kind: step.kind, always: !!step.always };
  const done = (extra: Partial<StepResult>, hard = extra.status !== undefined && extra.status !== 'passed') => {
    const result: StepResult = {
      ...base,
      status: 'passed',
      durationMs: Math.round(performance.now() - t0),
      correlationId: rec.correlationId,
      checks: rec.checks,
      violations: rec.violations,
      http: rec.http,
      ...extra,
    };
    return { result, hard };
  };
  try {
    await raceAbort(executor.run(step, ctx), ctx.signal);
    const soft = rec.softFailure;
    return soft ? done({ status: 'failed', code: soft.code, message: soft.message, expected: soft.expected, actual: soft.actual }, false) : done({});
  } catch (err) {
    if (ctx.signal.aborted) {
      const journeyTimedOut = journeySignal.aborted && !stepSignal.aborted;
      return done({ status: 'failed', code: journeyTimedOut ? 'journey_timeout' : 'step_timeout', message: `${journeyTimedOut ? 'journey' : 'step'} ran out of time`, expected: 'completion', actual: 'timeout' });
    }
    if (err instanceof StepFailure) return done({ status: 'failed', code: err.code, message: err.message, expected: err.expected, actual: err.actual });
    return done({ status: 'error', code: 'step_error', message: (err as Error)?.message ?? String(err) });
  }
}

/** Stops waiting when the signal fires, even if the step's own code ignores it. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function skippedStep(step: Step, reason: string): StepResult {
  return { name: step.name, kind: step.kind, always: !!step.always, status: 'skipped', durationMs: 0, message: reason, checks: [], violations: [], http: [] };
}

function targetSecrets(t: Target): string[] {
  return [t.adminClient.clientSecret, t.loginClient.clientSecret, t.systemAdmin.password, t.databaseUrl, t.sandbox?.controlToken].flatMap((s) => (s ? [s.reveal()] : []));
}
