// A step's named checks run before its contract check: a symptom is reported under its own code,
// and the contract violations of the same response are still recorded and reported with the step.
// Only when no named check fails is the step a contract_violation, whose message names the
// operation, the status and the instance path once.
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http, type HttpStep } from '../../src/engine/journey.ts';
import { checkSessionUser } from '../../src/engine/checks.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

// A session that is partial: no tenant_id, no project_id. It breaks the session schema too.
const PARTIAL_SESSION = { user_id: 'u-1', email: 'u@example.com', display_name: 'U', role: 'tenant_admin', org_id: '3f2c7a52-7d55-4c3f-9a51-0c1f4f9a2b11', projects: [] };

const api = useLocalApi((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77' }).end(JSON.stringify(PARTIAL_SESSION)));

const sessionStep = (then?: HttpStep['then']) => http('session is complete', { request: () => ({ method: 'GET', path: '/api/v1/session', token: 'x' }), expect: { status: 200, failureCode: 'session_unavailable' }, then });

async function stepOf(step: HttpStep) {
  const run = await runJourneys({
    journeys: [defineJourney({ id: 'j', title: 'session', steps: [step] })],
    target: targetAt(api.url, { name: 't' }),
    executors: [api.executor],
  });
  return run.journeys[0]!.attempts[0]!.steps[0]!;
}

describe('named checks before contracts', () => {
  it.each([
    ['a hard named check', false],
    ['a soft named check', true],
  ])('%s wins over the contract violation on the same response; both are reported', async (_name, soft) => {
    const step = await stepOf(sessionStep((res, ctx) => void ctx.check('session tenant_id', res.body.tenant_id, 't-1', { code: 'session_partial', soft })));
    expect({ status: step.status, code: step.code, correlationId: step.correlationId }).toEqual({ status: 'failed', code: 'session_partial', correlationId: '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77' });
    expect(step.violations.map((v) => v.instancePath).sort()).toEqual(['/project_id', '/tenant_id']);
  });

  it('without a failing named check, the step is a contract_violation naming the operation, the status and the path once', async () => {
    const step = await stepOf(sessionStep());
    expect(step.code).toBe('contract_violation');
    expect(step.message).toMatch(/^getSession 200: \/(tenant_id|project_id): expected [^/]+, actual missing \(\+1 more\)$/);
  });

  // An unsigned token is enough here: the check reads the claims the platform already verified.
  const token = (claims: Record<string, string>) => ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');
  it.each([
    ['another user id', { userId: 'u-2', email: 'u@example.com', token: token({ sub: 's-1', email: 'u@example.com' }) }, 'session user_id (u-1) == u-2'],
    ['another email', { userId: 'u-1', email: 'v@example.com', token: token({ sub: 's-1', email: 'v@example.com' }) }, 'session email (u@example.com) == v@example.com'],
    ["a token of someone else", { userId: 'u-1', email: 'u@example.com', token: token({ sub: 's-1', email: 'w@example.com' }) }, 'token email (w@example.com) == u@example.com'],
    ['a token with another subject', { userId: 'u-1', email: 'u@example.com', token: token({ sub: 's-9', email: 'u@example.com' }), subject: 's-1' }, 'token subject (s-9) == s-1'],
  ])('a session of %s is session_wrong_user', async (_name, who, message) => {
    const step = await stepOf(sessionStep((res, ctx) => checkSessionUser(res, ctx, who)));
    expect({ code: step.code, message: step.message }).toEqual({ code: 'session_wrong_user', message });
  });

  it("the logged-in user's own session passes the identity checks (and the partial session is then a contract violation)", async () => {
    const step = await stepOf(sessionStep((res, ctx) => checkSessionUser(res, ctx, { userId: 'u-1', email: 'U@example.com', token: token({ sub: 's-1', email: 'u@example.com' }), subject: 's-1' })));
    expect(step.code).toBe('contract_violation');
  });
});
