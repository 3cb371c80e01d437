// The runbook's last recovery step: re-test with the same user journey and confirm the resolution
// by the new correlation ids. The journey runs through the same wiring as `onramp run` (every step
// kind, the browser's too); this is what the bundle keeps of its run.
import type { JourneyDefinition } from '../engine/journey.ts';
import { failureCodeOf, type RunResult } from '../engine/results.ts';
import type { Evidence } from './evidence.ts';
import { bundledStep } from './bundle-path.ts';

export function retestEvidence(journey: JourneyDefinition, run: RunResult): NonNullable<Evidence['retest']> {
  const steps = run.journeys[0]?.attempts.at(-1)?.steps ?? [];
  return {
    journey: journey.id,
    status: run.journeys[0]?.status ?? run.status,
    correlation_ids: [...new Set(steps.flatMap((s) => (s.correlationId ? [s.correlationId] : [])))],
    failures: steps.filter(bundledStep).map((s) => ({ journey: journey.id, step: s.name, code: failureCodeOf(s), message: s.message, expected: s.expected, actual: s.actual })),
  };
}
