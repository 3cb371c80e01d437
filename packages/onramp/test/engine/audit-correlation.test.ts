// An audit row is a request's evidence only under the request's own correlation id. The built-in
// tenant-admin-bootstrap journey's audit step runs against a local platform whose audit lookup
// answers rows of its choosing (as one that ignores the correlation_id filter would): a user.create
// row for the right user under another id is audit_missing_correlation, both ids shown.
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http, type HttpStep, type JourneyDefinition } from '../../src/engine/journey.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';
import bootstrap from '../../journeys/tenant-admin-bootstrap.journey.ts';

const REQUEST_CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
const OTHER_CID = '0c1e9a77-5b2f-4b8e-9d0a-7d8e3c6a0f55';
const USER = 'onramp-syn-r1-tenant-admin-bootstrap-admin';
const VERIFICATION = { ok: true, checks: [{ name: 'exists', ok: true, expected: true, actual: true }] };

const entry = (o: { correlationId: string | null; target?: string; action?: string }) => ({ id: 1, action: o.action ?? 'user.create', actor_id: 'sysadmin', target_id: o.target ?? USER, tenant_id: null, correlation_id: o.correlationId, payload: { verification: VERIFICATION.checks }, created_at: '2026-01-01T00:00:00Z' });

/** The rows the local platform's audit lookup answers next. */
let rows: unknown[] = [];
const api = useLocalApi((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': 'c-audit' }).end(JSON.stringify({ entries: rows }));
});

// A step has a `then`: awaited, it would pass for a promise, so it is found without an await.
const auditStep = (bootstrap as JourneyDefinition).steps.find((s): s is HttpStep => s.name === 'user.create audit row has the same correlation id')!;

/** What the bootstrap step before it leaves in ctx.vars, then the journey's own audit step. */
async function runAuditStep() {
  const seed = http('the bootstrap answered', { request: () => ({ method: 'GET', path: '/seed' }), expect: { status: 200, contract: false }, then: (_res, ctx) => void Object.assign(ctx.vars, { createCorrelationId: REQUEST_CID, adminUserId: USER, adminToken: 't', evidence: VERIFICATION }) });
  const run = await runJourneys({ journeys: [defineJourney({ id: 'tenant-admin-bootstrap', title: 'audit', steps: [seed, auditStep] })], target: targetAt(api.url), executors: [api.executor] });
  const s = run.journeys[0]!.attempts[0]!.steps[1]!;
  return { status: s.status, code: s.code, expected: s.expected, actual: s.actual, message: s.message };
}

describe("audit evidence under the request's correlation id only", () => {
  it.each([
    ['the row under the request id', [entry({ correlationId: REQUEST_CID })], { status: 'passed', code: undefined, expected: undefined, actual: undefined }],
    ['the row under the request id beside another request\'s', [entry({ correlationId: OTHER_CID }), entry({ correlationId: REQUEST_CID })], { status: 'passed', code: undefined, expected: undefined, actual: undefined }],
    ['the row under another id', [entry({ correlationId: OTHER_CID })], { status: 'failed', code: 'audit_missing_correlation', expected: `user.create ${USER} correlation_id ${REQUEST_CID}`, actual: `user.create ${USER} correlation_id ${OTHER_CID}` }],
    ['the row without an id', [entry({ correlationId: null })], { status: 'failed', code: 'audit_missing_correlation', expected: `user.create ${USER} correlation_id ${REQUEST_CID}`, actual: `user.create ${USER} correlation_id null` }],
    ['the request id on another user\'s row', [entry({ correlationId: REQUEST_CID, target: 'someone-else' })], { status: 'failed', code: 'audit_missing_correlation', expected: `user.create ${USER} correlation_id ${REQUEST_CID}`, actual: `no user.create ${USER} row (user.create someone-else correlation_id ${REQUEST_CID})` }],
    ['no rows', [], { status: 'failed', code: 'audit_missing_correlation', expected: `user.create ${USER} correlation_id ${REQUEST_CID}`, actual: `no user.create ${USER} row (no rows)` }],
  ])('%s', async (_name, answered, result) => {
    rows = answered;
    const step = await runAuditStep();
    expect({ status: step.status, code: step.code, expected: step.expected, actual: step.actual }).toEqual(result);
    // The message shows the answered id next to the expected one.
    if (step.status === 'failed') expect(step.message).toBe(`user.create audit row with the request's correlation id (${result.actual}) == ${result.expected}`);
  });
});
