// results.json: the run as data, snake_case keys, matching contracts/report.schema.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JourneyResult, RunResult, StepResult } from '../engine/results.ts';
import type { Reporter } from '../engine/reporter.ts';

/** The run as results.json; with the output folder, failed steps link their evidence bundles. */
export function toReport(run: RunResult) {
  return {
    run: {
      id: run.runId,
      target: run.target,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      duration_ms: run.durationMs,
      status: run.status,
      ...(run.meta ? { onramp_version: run.meta.onrampVersion, target_urls: run.meta.targetUrls, faults: run.meta.faults } : {}),
      ...(run.error ? { error: run.error } : {}),
      ...(run.leftovers?.length ? { leftovers: run.leftovers.map((l) => ({ journey: l.journey, attempt: l.attempt, identities: l.identities, ...(l.tenantId ? { tenant_id: l.tenantId } : {}), reason: l.reason })) } : {}),
    },
    summary: summarise(run),
    journeys: run.journeys.map(journeyReport),
  };
}

function journeyReport(j: JourneyResult) {
  return {
    id: j.id,
    title: j.title,
    tags: j.tags,
    status: j.status,
    duration_ms: j.durationMs,
    ...(j.reason ? { reason: j.reason } : {}),
    attempts: j.attempts.map((a) => ({ attempt: a.attempt, status: a.status, duration_ms: a.durationMs, ...(a.reclaimed ? { reclaimed: a.reclaimed } : {}), steps: a.steps.map(stepReport) })),
    // The steps of the last attempt, as most readers want them.
    steps: (j.attempts.at(-1)?.steps ?? []).map(stepReport),
  };
}

function stepReport(s: StepResult) {
  const evidence = s.evidence;
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    status: s.status,
    always: s.always,
    duration_ms: s.durationMs,
    ...(s.skipReason ? { skip_reason: s.skipReason } : {}),
    code: s.code ?? null,
    message: s.message ?? null,
    correlation_id: s.correlationId ?? null,
    ...(s.requestId ? { request_id: { id: s.requestId.id, sent_by: s.requestId.sentBy } } : {}),
    expected: s.expected ?? null,
    actual: s.actual ?? null,
    ...(s.flaky ? { flaky: { code: s.flaky.code, message: s.flaky.message, expected: s.flaky.expected ?? null, actual: s.flaky.actual ?? null } } : {}),
    checks: s.checks.map((c) => ({ name: c.name, ok: c.ok, soft: c.soft, code: c.code ?? null, expected: c.expected ?? null, actual: c.actual ?? null })),
    violations: s.violations.map((v) => ({ instance_path: v.instancePath, schema_path: v.schemaPath, message: v.message, expected: v.expected ?? null, actual: v.actual ?? null })),
    ...(s.artifacts?.length ? { artifacts: s.artifacts } : {}),
    ...(evidence ? { evidence } : {}),
    ...(s.browser ? { browser: browserReport(s.browser) } : {}),
    requests: s.http.map((h) => ({
      method: h.method, url: h.url, status: h.status ?? null, request_id: h.requestId, traceparent: h.traceparent,
      operation_id: h.operationId ?? null, headers_ms: h.timings.headersMs ?? null, total_ms: h.timings.totalMs,
      ...(h.responseBody !== undefined ? { response_body: h.responseBody } : {}),
      ...(h.retryAfterMs !== undefined ? { retry_after_ms: h.retryAfterMs } : {}),
    })),
  };
}

function browserReport(b: NonNullable<StepResult['browser']>) {
  return {
    failed_requests: b.failedRequests.map((r) => ({ method: r.method, url: r.url, status: r.status ?? null, failure: r.failure ?? null, correlation_id: r.correlationId ?? null })),
    console_errors: b.consoleErrors.map((e) => ({ text: e.text, source: e.source, correlation_id: e.correlationId ?? null })),
  };
}

export function summarise(run: RunResult) {
  const count = (s: JourneyResult['status']) => run.journeys.filter((j) => j.status === s).length;
  const steps = run.journeys.flatMap((j) => j.attempts.at(-1)?.steps ?? []);
  const stepCount = (s: StepResult['status']) => steps.filter((x) => x.status === s).length;
  return {
    total: run.journeys.length,
    passed: count('passed'),
    failed: count('failed'),
    flaky: count('flaky'),
    error: count('error'),
    skipped: count('skipped'),
    interrupted: count('interrupted'),
    steps: { total: steps.length, passed: stepCount('passed'), failed: stepCount('failed'), error: stepCount('error'), skipped: stepCount('skipped') },
  };
}

/**
 * The reported steps skipped because the target lacks what they need (no database for db steps),
 * as `2 checks skipped as unavailable (db: 2)`; undefined when there are none. A skip the run did
 * not require is no failure, but it must not pass unseen either.
 */
export function unavailableChecks(run: RunResult): string | undefined {
  const byKind = new Map<string, number>();
  for (const s of run.journeys.flatMap((j) => j.attempts.at(-1)?.steps ?? [])) {
    if (s.skipReason === 'unavailable' || s.skipReason === 'no_executor') byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  }
  const n = [...byKind.values()].reduce((a, b) => a + b, 0);
  return n ? `${n} check${n > 1 ? 's' : ''} skipped as unavailable (${[...byKind].map(([k, c]) => `${k}: ${c}`).join(', ')})` : undefined;
}

/** `5 journeys: 1 passed, 1 failed, 1 flaky, 1 error, 1 skipped`, as every report says it. */
export function journeyCounts(s: ReturnType<typeof summarise>): string {
  return `${s.total} journeys: ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.error} error, ${s.skipped} skipped${s.interrupted ? `, ${s.interrupted} interrupted` : ''}`;
}

export class JsonReporter implements Reporter {
  readonly name = 'json';
  constructor(private readonly outputDir: string) {}
  async onRunEnd(run: RunResult) {
    await mkdir(this.outputDir, { recursive: true });
    await writeFile(join(this.outputDir, 'results.json'), `${JSON.stringify(toReport(run), null, 2)}\n`);
  }
}
