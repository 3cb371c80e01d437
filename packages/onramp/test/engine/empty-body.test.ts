// A 200 with nothing where the contract wants an object (an empty body, JSON `null`) is the
// resource being unavailable (the step's own failure code, e.g. session_unavailable), else a
// contract violation; never blamed on the user's identity by checks that read missing fields as
// someone else's. checkSessionUser says the same where no contract judges the answer.
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { checkSessionUser } from '../../src/engine/checks.ts';
import { defineJourney, http, type HttpExpectation } from '../../src/engine/journey.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
// An unsigned token is enough: the check reads the claims the platform already verified.
const TOKEN = ['e30', Buffer.from(JSON.stringify({ sub: 's-1', email: 'u@example.com' })).toString('base64url'), 'sig'].join('.');

// The test asks for the body in the query: `empty` (no bytes, no content-type), `null`, `empty-json` ({}).
const api = useLocalApi((req, res) => {
  req.resume();
  const body = new URL(req.url!, 'http://x').searchParams.get('body');
  if (body === 'empty') return void res.writeHead(200, { 'x-correlation-id': CID }).end();
  res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': CID }).end(body === 'null' ? 'null' : '{}');
});

async function stepOf(path: string, body: string, expectation: HttpExpectation) {
  const run = await runJourneys({
    journeys: [defineJourney({ id: 'j', title: 'empty', steps: [http('read it', {
      request: () => ({ method: 'GET', path: `${path}?body=${body}`, token: TOKEN }),
      expect: expectation,
      then: (res, ctx) => checkSessionUser(res, ctx, { userId: 'u-1', email: 'u@example.com', token: TOKEN }),
    })] })],
    target: targetAt(api.url),
    executors: [api.executor],
  });
  const s = run.journeys[0]!.attempts[0]!.steps[0]!;
  return { status: s.status, code: s.code, expected: s.expected, actual: s.actual, message: s.message };
}

describe('a 200 with no object where one is expected', () => {
  it.each([
    ['an empty body', 'empty', 'an empty body', 'a JSON body (session.schema.json)'],
    ['JSON null', 'null', 'null', 'type object'],
  ])('%s on the session route is session_unavailable, with what the contract expects', async (_name, body, actual, expected) => {
    const step = await stepOf('/api/v1/session', body, { status: 200, failureCode: 'session_unavailable' });
    expect(step).toEqual({ status: 'failed', code: 'session_unavailable', expected, actual, message: `getSession 200: ${actual} where the contract expects ${expected}` });
  });

  it('a step without its own failure code fails as contract_violation', async () => {
    const step = await stepOf('/api/v1/session', 'null', { status: 200 });
    expect({ code: step.code, actual: step.actual }).toEqual({ code: 'contract_violation', actual: 'null' });
  });

  it.each([
    ['an empty body', 'empty', 'an empty body'],
    ['JSON null', 'null', null],
  ])('without a contract, checkSessionUser calls %s session_unavailable, not session_wrong_user', async (_name, body, actual) => {
    const step = await stepOf('/api/v1/session', body, { status: 200, failureCode: 'session_unavailable', contract: false });
    expect({ code: step.code, expected: step.expected, actual: step.actual }).toEqual({ code: 'session_unavailable', expected: 'a session object', actual });
  });

  it('an object that is not the user\'s is still session_wrong_user', async () => {
    const step = await stepOf('/api/v1/session', 'empty-json', { status: 200, failureCode: 'session_unavailable', contract: false });
    expect(step.code).toBe('session_wrong_user');
  });
});
