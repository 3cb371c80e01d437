// The metrics sink: a Reporter that turns one scheduled run's results into metric updates. One
// instance per run, so the run id it stamps on exemplars is the run's own.
import type { Reporter } from '../engine/reporter.ts';
import type { JourneyResult, StepResult } from '../engine/results.ts';
import { failureCodeOf, lastAttempt, stepFailed } from '../engine/results.ts';
import type { MonitorMetrics, Outcome } from './metrics.ts';
import { isStepFailureCode } from '../failures/catalog.ts';

// OpenMetrics caps an exemplar's label names and values at 128 characters together.
const EXEMPLAR_BUDGET = 128;

export function metricsSink(metrics: MonitorMetrics): Reporter {
  let runId = '';
  return {
    name: 'metrics',
    onRunStart(info) {
      runId = info.runId;
    },
    onStepEnd(journey, step) {
      if (step.status === 'skipped') return void metrics.stepSkips.inc({ journey, step: step.id, reason: step.skipReason ?? 'unknown' });
      const exemplarLabels = exemplar(step.correlationId, runId);
      metrics.stepDuration.observe({ labels: { journey, step: step.id }, value: step.durationMs / 1000, exemplarLabels });
      if (stepFailed(step)) {
        metrics.stepFailures.inc({ labels: { journey, step: step.id, code: failureCodeOf(step) }, value: 1, exemplarLabels });
      }
      // The code label stays the catalogue's: a result from elsewhere with another is check_failed.
      if (step.flaky) metrics.stepFlaky.inc({ labels: { journey, step: step.id, code: isStepFailureCode(step.flaky.code) ? step.flaky.code : 'check_failed' }, value: 1, exemplarLabels });
      const perSchema = new Map<string, number>();
      for (const v of step.violations) {
        const schema = schemaOf(v.schemaPath);
        perSchema.set(schema, (perSchema.get(schema) ?? 0) + 1);
      }
      for (const [schema, n] of perSchema) metrics.violations.inc({ journey, step: step.id, schema }, n);
    },
    onJourneyEnd(j) {
      // A run cut short by the monitor's own shutdown says nothing about the target.
      if (j.status === 'interrupted') return;
      const outcome: Outcome = j.status;
      metrics.runs.inc({ journey: j.id, outcome });
      if (outcome === 'skipped') return;
      const first = firstFailure(j);
      metrics.journeyDuration.observe({ labels: { journey: j.id }, value: j.durationMs / 1000, exemplarLabels: exemplar(first?.correlationId, runId) });
      metrics.lastRun.set({ journey: j.id }, Date.now() / 1000);
      const ok = outcome === 'passed' || outcome === 'flaky';
      metrics.up.set({ journey: j.id }, ok ? 1 : 0);
      if (ok) metrics.consecutiveFailures.set({ journey: j.id }, 0);
      else metrics.consecutiveFailures.inc({ journey: j.id });
      const failed = ok ? undefined : first;
      if (failed) metrics.setLastFailure(j.id, failed.id, failureCodeOf(failed), failed.correlationId);
      else if (ok) metrics.clearLastFailure(j.id);
    },
  };
}

/** The step a person starts from: the first failed step of the last attempt (cleanup last). */
export function firstFailure(j: JourneyResult): StepResult | undefined {
  const steps = lastAttempt(j)?.steps ?? [];
  return steps.find((s) => stepFailed(s) && !s.always) ?? steps.find(stepFailed);
}

function exemplar(correlationId: string | undefined, runId: string): Record<string, string> {
  const labels: Record<string, string> = { run_id: runId };
  if (correlationId && 'correlation_id'.length + correlationId.length + 'run_id'.length + runId.length <= EXEMPLAR_BUDGET) labels.correlation_id = correlationId;
  return labels;
}

/** The schema file a violation's schema path points into: bounded, unlike the path within it. */
function schemaOf(schemaPath: string): string {
  const file = schemaPath.split('#')[0] || 'inline';
  return file.split('/').at(-1)!.slice(0, 100);
}
