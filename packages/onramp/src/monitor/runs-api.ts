// /api/runs' answer: the history's records under results.json's field names (snake_case), so one
// reader serves both; contracts/runs.schema.json describes it.
import { slugOf } from '../engine/journey.ts';
import type { RunRecord, StepRecord } from './history.ts';

/** The URL of a kept artifact, or undefined when it was pruned or another replica keeps it. */
export type ArtifactUrl = (path: string) => string | undefined;

export function runsApi(runs: RunRecord[], artifactUrl: ArtifactUrl = () => undefined) {
  return { runs: runs.map((r) => runView(r, artifactUrl)) };
}

function runView(r: RunRecord, artifactUrl: ArtifactUrl) {
  return {
    run_id: r.runId,
    journey: r.journey,
    location: r.location,
    status: r.outcome,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    duration_ms: r.durationMs,
    steps: r.steps.map((s) => stepView(s, artifactUrl)),
  };
}

function stepView(s: StepRecord, artifactUrl: ArtifactUrl) {
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
    ...(s.expected !== undefined ? { expected: s.expected } : {}),
    ...(s.actual !== undefined ? { actual: s.actual } : {}),
    ...(s.request_id ? { request_id: s.request_id } : {}),
    ...(s.browser ? { browser: s.browser } : {}),
    ...(s.artifacts ? { artifacts: s.artifacts.map((a) => ({ ...a, ...(artifactUrl(a.path) ? { url: artifactUrl(a.path) } : {}) })) } : {}),
  };
}
