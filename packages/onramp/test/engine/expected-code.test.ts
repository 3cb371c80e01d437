// A step that expects an error status and the platform's code with it (`expect: { status, code }`):
// the expected status with another code is `error_code_changed` (expected and answered code side
// by side), never a generic status mismatch, also when the step names its own failure code for a
// status mismatch; another status is still the step's failure code (default unexpected_status).
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http, type HttpExpectation } from '../../src/engine/journey.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';

// The test asks for the answer in the query: its status, and its envelope's code (none when absent).
const api = useLocalApi((req, res) => {
  req.resume();
  const q = new URL(req.url!, 'http://x').searchParams;
  const code = q.get('code');
  res.writeHead(Number(q.get('status')), { 'content-type': 'application/json', 'x-correlation-id': CID }).end(JSON.stringify({ ...(code ? { code } : {}), message: 'm', correlation_id: CID }));
});

async function stepAnswered(answer: { status: number; code?: string }, expectation: HttpExpectation) {
  const query = new URLSearchParams({ status: String(answer.status), ...(answer.code ? { code: answer.code } : {}) });
  const run = await runJourneys({
    journeys: [defineJourney({ id: 'j', title: 'refused', steps: [http('a refused call', { request: () => ({ method: 'GET', path: `/api/v1/projects?${query}`, token: 't' }), expect: { contract: false, ...expectation } })] })],
    target: targetAt(api.url),
    executors: [api.executor],
  });
  const s = run.journeys[0]!.attempts[0]!.steps[0]!;
  return { status: s.status, code: s.code, expected: s.expected, actual: s.actual };
}

describe('the expected error status with another code', () => {
  it.each([
    ['another known code', { status: 403, code: 'ownership_denied' }, { status: 403, code: 'membership_denied' }, '403 ownership_denied'],
    ['a code the platform invented', { status: 400, code: 'quota_1f2e_exceeded' }, { status: 400, code: 'invalid_request' }, '400 quota_1f2e_exceeded'],
    ['no code at all', { status: 404 }, { status: 404, code: 'not_found' }, '404 without a code'],
    ['one of several expected statuses', { status: 409, code: 'tenant_exists' }, { status: [400, 409], code: 'conflict' }, '409 tenant_exists'],
    ["a step that names its own code for a status mismatch", { status: 403, code: 'ownership_denied' }, { status: 403, code: 'membership_denied', failureCode: 'non_member_granted_access' }, '403 ownership_denied'],
  ] as const)('%s: error_code_changed, the expected code expected and the answered one actual', async (_name, answer, expectation, actual) => {
    const expected = `${answer.status} ${expectation.code}`;
    expect(await stepAnswered(answer, expectation as HttpExpectation)).toEqual({ status: 'failed', code: 'error_code_changed', expected, actual });
  });

  it.each([
    ['the expected status and code', { status: 403, code: 'membership_denied' }, { status: 403, code: 'membership_denied' }, { status: 'passed', code: undefined, expected: undefined, actual: undefined }],
    ['another status', { status: 500, code: 'internal_error' }, { status: 403, code: 'membership_denied' }, { status: 'failed', code: 'unexpected_status', expected: '403 membership_denied', actual: '500 internal_error' }],
    ['another status, with the step\'s own code', { status: 200 }, { status: 403, code: 'membership_denied', failureCode: 'non_member_granted_access' }, { status: 'failed', code: 'non_member_granted_access', expected: '403 membership_denied', actual: 200 }],
    ['a success status with another code is no error code', { status: 200, code: 'x' }, { status: 200, code: 'y' }, { status: 'failed', code: 'unexpected_status', expected: '200 y', actual: '200 x' }],
  ] as const)('%s is judged as before', async (_name, answer, expectation, result) => {
    expect(await stepAnswered(answer, expectation as HttpExpectation)).toEqual(result);
  });
});
