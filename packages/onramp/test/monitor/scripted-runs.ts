// A scripted set of journey results fed through the metrics sink, as the scheduler's runs would:
// the same input for the golden metrics test, the promtool check and the bench.
import type { JourneyResult, StepResult } from '../../src/engine/results.ts';
import type { Reporter } from '../../src/engine/reporter.ts';
import { slugOf } from '../../src/engine/journey.ts';

export const step = (name: string, durationMs: number, extra: Partial<StepResult> = {}): StepResult => ({
  id: slugOf(name),
  name,
  kind: 'http',
  status: 'passed',
  durationMs,
  checks: [],
  violations: [],
  http: [],
  always: false,
  ...extra,
});

export const journey = (id: string, status: JourneyResult['status'], steps: StepResult[]): JourneyResult => ({
  id,
  title: id,
  tags: [],
  status,
  durationMs: steps.reduce((t, s) => t + s.durationMs, 0),
  attempts: [{ attempt: 1, status: status === 'flaky' ? 'passed' : status === 'skipped' ? 'passed' : status, durationMs: 0, steps }],
});

/** Feeds one run of one journey through a sink, hook by hook. */
export async function feed(sink: Reporter, runId: string, j: JourneyResult): Promise<void> {
  await sink.onRunStart?.({ runId, target: 'sandbox', journeys: [{ id: j.id, title: j.title }] });
  for (const s of j.attempts.at(-1)?.steps ?? []) await sink.onStepEnd?.(j.id, s);
  await sink.onJourneyEnd?.(j);
}

const violation = { instancePath: '/tenant_id', schemaPath: 'schemas/session.json#/properties/tenant_id/type', message: 'tenant_id: expected string, actual missing', expected: 'string', actual: 'missing' };

/** Signup passes, fails with a correlation id, recovers; bootstrap fails twice, the second with a contract violation. */
export const SCRIPT: [string, JourneyResult][] = [
  ['run-1', journey('personal-signup', 'passed', [step('sign up', 120, { correlationId: 'c0ffee00-0000-4000-8000-000000000001' }), step('user logs in', 80), step('cleanup', 30, { always: true })])],
  ['run-2', journey('personal-signup', 'failed', [step('sign up', 2600, { status: 'failed', code: 'signup_failed', correlationId: 'c0ffee00-0000-4000-8000-000000000002' }), step('user logs in', 0, { status: 'skipped', skipReason: 'earlier_failure' }), step('cleanup', 40, { always: true })])],
  ['run-3', journey('tenant-admin-bootstrap', 'failed', [step('bootstrap', 300, { status: 'failed', code: 'keycloak_down', correlationId: 'c0ffee00-0000-4000-8000-000000000003' })])],
  ['run-4', journey('personal-signup', 'passed', [step('sign up', 110, { correlationId: 'c0ffee00-0000-4000-8000-000000000004' }), step('user logs in', 70), step('cleanup', 35, { always: true })])],
  ['run-5', journey('tenant-admin-bootstrap', 'failed', [step('bootstrap', 450, { status: 'failed', code: 'contract_violation', correlationId: 'c0ffee00-0000-4000-8000-000000000005', violations: [violation, { ...violation, instancePath: '/project_id' }] })])],
  ['run-6', journey('project-scope', 'flaky', [step('call with header', 90, { correlationId: 'c0ffee00-0000-4000-8000-000000000006', flaky: { code: 'rate_limited', message: 'GET /api/v1/instances: 429 Retry-After 1, retried once after 1000 ms: 200', expected: 'an answer without throttling', actual: '429 Retry-After 1' } })])],
  ['run-7', journey('identity-drift', 'skipped', [])],
];
