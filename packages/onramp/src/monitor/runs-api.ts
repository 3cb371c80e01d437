// /api/runs' answer: the history's records under results.json's field names (snake_case), so one
// reader serves both; contracts/runs.schema.json describes it.
import { slugOf } from '../engine/journey.ts';
import type { RunRecord, StepRecord } from './history.ts';

export function runsApi(runs: RunRecord[]) {
  return { runs: runs.map(runView) };
}

function runView(r: RunRecord) {
  return {
    run_id: r.runId,
    journey: r.journey,
    location: r.location,
    status: r.outcome,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: r.durationMs,
    steps: r.steps.map(stepView),
  };
}

function stepView(s: StepRecord) {
  return {
    // Records written before steps had ids carry the id their title derives.
    id: s.id ?? slugOf(s.name),
    name: s.name,
    status: s.status,
    duration_ms: s.durationMs,
    ...(s.skipReason ? { skip_reason: s.skipReason } : {}),
    code: s.code ?? null,
    message: s.message ?? null,
    correlation_id: s.correlationId ?? null,
  };
}
