// The journey runner against a real platform: shared context, correlation capture, hard and soft
// checks, always-run cleanup, timeouts, retries as attempts (flaky), production refusal, db steps
// read-only, and no secret in the results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { startTestPlatform, type TestPlatform } from '../../../sandbox/test/support/platform.ts';
import { targetFor } from '../support/targets.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { cleanup, db, defineJourney, http, idp, login, type JourneyDefinition } from '../../src/engine/journey.ts';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import { createIdpExecutor } from '../../src/engine/executors/idp.ts';
import { createDbExecutor } from '../../src/engine/executors/db.ts';
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import { createPlatformListener, listen, type RunningPlatform } from '../../../sandbox/src/platform/server.ts';
import { dbSessionRoutes } from '../../../sandbox/src/db/query-route.ts';
import { controlGuard } from '../../../sandbox/src/control.ts';

const pg = useTestPostgres();
let env: TestPlatform;
let dbUrl: string;
const executors = [createHttpExecutor(), createIdpExecutor(), createDbExecutor()];
beforeAll(async () => {
  env = await startTestPlatform(pg);
  dbUrl = (env.pool as unknown as { options: { connectionString: string } }).options.connectionString;
});
afterAll(async () => {
  for (const e of executors) await e.close?.();
  await env?.close();
});

const run = (journeys: JourneyDefinition[], o: { retries?: number; target?: Partial<Target> } = {}) =>
  runJourneys({ journeys, target: targetFor(env, o.target), executors, retries: o.retries });

const signup = http('sign up', {
  request: (c) => ({ method: 'POST', path: '/api/v1/auth/personal/signup', body: { email: c.identity('me').email, password: c.identity('me').password, display_name: 'Runner test' } }),
  expect: { status: 201 },
  then: (res, c) => {
    c.vars.userId = res.body.user.id;
  },
});
const removeMe = cleanup(
  http('remove the user', {
    request: async (c) => ({ method: 'DELETE', path: `/api/v1/admin/users/${c.vars.userId}`, token: c.vars.adminToken }),
    expect: { status: [204, 404] },
  }),
);
const adminLogin = login('admin logs in', { user: (c) => ({ username: c.target.systemAdmin.username, password: c.target.systemAdmin.password.reveal() }), saveAs: 'adminToken' });

describe('journey runner', () => {
  it('passes a journey whose steps share values, sends request ids, and captures correlation ids', async () => {
    const result = await run([
      defineJourney({
        id: 'happy',
        title: 'happy path',
        steps: [
          signup,
          login('log in', { user: (c) => ({ username: c.identity('me').email, password: c.identity('me').password }), saveAs: 'token' }),
          http('session', { request: (c) => ({ method: 'GET', path: '/api/v1/session', token: c.vars.token }), expect: { status: 200 }, then: (res, c) => void c.check('role', res.body.role, 'tenant_admin') }),
          adminLogin,
          removeMe,
        ],
      }),
    ]);
    const [j] = result.journeys;
    expect(j!.status).toBe('passed');
    const steps = j!.attempts[0]!.steps;
    expect(steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    const sessionStep = steps[2]!;
    expect(sessionStep.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const requestId = sessionStep.http[0]!.requestId;
    expect(requestId.startsWith(`${result.runId}.happy.`)).toBe(true);
    const logged = env.logs.find((l) => l.correlation_id === sessionStep.correlationId);
    expect(logged).toMatchObject({ request_id: requestId, traceparent: sessionStep.http[0]!.traceparent });
    expect(sessionStep.checks).toEqual([{ name: 'role', ok: true, expected: 'tenant_admin', actual: 'tenant_admin', soft: false }]);
  });

  it('stops at a hard failure with code, expected and actual, skips the rest, and still runs cleanup', async () => {
    const result = await run([
      defineJourney({
        id: 'hard',
        title: 'hard failure',
        steps: [
          signup,
          adminLogin,
          http('wrong expectation', { request: () => ({ method: 'GET', path: '/api/v1/instances' }), expect: { status: 200, failureCode: 'projects_unavailable' } }),
          http('never runs', { request: () => ({ method: 'GET', path: '/healthz' }) }),
          removeMe,
        ],
      }),
    ]);
    const steps = result.journeys[0]!.attempts[0]!.steps;
    expect(result.journeys[0]!.status).toBe('failed');
    expect(steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed', 'skipped', 'passed']);
    expect(steps[2]).toMatchObject({ code: 'projects_unavailable', expected: '200', actual: '401 unauthenticated', message: 'status (401 unauthenticated) == 200' });
    expect(steps[2]!.correlationId).toBeTruthy();
    expect(result.status).toBe('failed');
  });

  it('records a soft check and goes on', async () => {
    const result = await run([
      defineJourney({
        id: 'soft',
        title: 'soft check',
        steps: [
          http('health', { request: () => ({ method: 'GET', path: '/healthz' }), expect: { status: 200 }, then: (res, c) => void c.check('status text', res.body.status, 'great', { soft: true, code: 'check_failed' }) }),
          http('health again', { request: () => ({ method: 'GET', path: '/healthz' }), expect: { status: 200 } }),
        ],
      }),
    ]);
    const steps = result.journeys[0]!.attempts[0]!.steps;
    expect(steps.map((s) => s.status)).toEqual(['failed', 'passed']);
    expect(steps[0]).toMatchObject({ code: 'check_failed', expected: 'great', actual: 'ok' });
  });

  it('times a step out, and a journey out, and runs cleanup with its own budget', async () => {
    const slow = http('slow', { request: () => new Promise((r) => setTimeout(() => r({ method: 'GET', path: '/healthz' }), 2_000)), timeoutMs: 100 });
    const stepResult = await run([defineJourney({ id: 'step-timeout', title: 'step timeout', steps: [slow] })]);
    expect(stepResult.journeys[0]!.attempts[0]!.steps[0]).toMatchObject({ status: 'failed', code: 'step_timeout' });

    let cleaned = false;
    const journeyResult = await run([
      defineJourney({
        id: 'journey-timeout',
        title: 'journey timeout',
        timeoutMs: 150,
        steps: [
          http('slow', { request: () => new Promise((r) => setTimeout(() => r({ method: 'GET', path: '/healthz' }), 2_000)) }),
          cleanup(http('cleanup', { request: () => ({ method: 'GET', path: '/healthz' }), then: () => void (cleaned = true) })),
        ],
      }),
    ]);
    const steps = journeyResult.journeys[0]!.attempts[0]!.steps;
    expect(steps[0]).toMatchObject({ status: 'failed', code: 'journey_timeout' });
    expect(steps[1]!.status).toBe('passed');
    expect(cleaned).toBe(true);
  });

  it('reports a journey that passes only on retry as flaky, with every attempt', async () => {
    let tries = 0;
    const result = await run(
      [defineJourney({ id: 'flaky', title: 'flaky', steps: [http('sometimes', { request: () => ({ method: 'GET', path: '/healthz' }), then: (_r, c) => void c.check('try', ++tries >= 2, true) })] })],
      { retries: 2 },
    );
    expect(result.journeys[0]!.status).toBe('flaky');
    expect(result.journeys[0]!.attempts.map((a) => a.status)).toEqual(['failed', 'passed']);
    expect(result.status).toBe('failed');
  });

  it('refuses notInProduction journeys on a production target', async () => {
    const result = await run([defineJourney({ id: 'drift', title: 'drift', notInProduction: true, steps: [signup] })], { target: { production: true } });
    expect(result.journeys[0]).toMatchObject({ status: 'skipped', attempts: [] });
    expect(result.journeys[0]!.reason).toContain('production');
  });

  it('skips db steps without a database and runs them read-only with one', async () => {
    const journey = defineJourney({
      id: 'db',
      title: 'db',
      steps: [
        db('count users', { run: async (q, c) => void c.check('has sysadmin', (await q<{ n: string }>('SELECT count(*) AS n FROM platform.users WHERE id = $1', ['sysadmin']))[0]!.n, '1') }),
        db('cannot write', { soft: true, run: async (q) => void (await q('DELETE FROM platform.audit_log')) }),
      ],
    });
    const without = await run([journey]);
    expect(without.journeys[0]!.attempts[0]!.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    const withDb = await run([journey], { target: { databaseUrl: secret(dbUrl) } });
    const steps = withDb.journeys[0]!.attempts[0]!.steps;
    expect(steps[0]!.status).toBe('passed');
    expect(steps[1]).toMatchObject({ status: 'error' });
    expect(steps[1]!.message).toMatch(/read-only transaction/);
  });

  // Every way out of the read-only transaction, through a database URL, through an in-process pool
  // (how the embedded sandbox's single PGlite connection is reached), and through a running
  // sandbox's database route (a config target with sandbox.control_token and no database_url):
  // none changes data. The route refuses transaction control before Postgres sees it.
  const ESCAPES: { name: string; sql: string[]; status: string; code: string; message: RegExp }[] = [
    { name: 'a write', sql: ["DELETE FROM platform.orgs WHERE name = 'db escape probe'"], status: 'error', code: 'step_error', message: /read-only transaction/ },
    { name: 'a commit, then a write', sql: ['COMMIT', "DELETE FROM platform.orgs WHERE name = 'db escape probe'"], status: 'failed', code: 'db_write_attempt', message: /left its read-only transaction/ },
    { name: 'two statements in one query', sql: ["SELECT 1; DELETE FROM platform.orgs WHERE name = 'db escape probe'"], status: 'error', code: 'step_error', message: /multiple commands/ },
    { name: 'switching the transaction to read-write', sql: ['SET TRANSACTION READ WRITE', "DELETE FROM platform.orgs WHERE name = 'db escape probe'"], status: 'error', code: 'step_error', message: /must be called before any query|read-write mode must be set/ },
  ];
  const ROUTE_REFUSES: Record<string, { status: string; code: string; message: RegExp }> = {
    'a commit, then a write': { status: 'error', code: 'step_error', message: /403 A read-only session runs queries only/ },
    'switching the transaction to read-write': { status: 'error', code: 'step_error', message: /403 A read-only session runs queries only/ },
  };
  let route: RunningPlatform;
  beforeAll(async () => {
    route = await listen(createPlatformListener(env.ctx, dbSessionRoutes(env.pool, controlGuard('route-token'))));
  });
  afterAll(() => route?.close());
  for (const via of ['database URL', 'sandbox session', 'running sandbox route'] as const) {
    it.each(ESCAPES)(`db steps through a ${via} cannot change data: $name`, async (e) => {
      const c = via === 'running sandbox route' ? { ...e, ...ROUTE_REFUSES[e.name] } : e;
      await env.pool.query(`INSERT INTO platform.orgs (id, name, kind) SELECT gen_random_uuid(), 'db escape probe', 'customer' WHERE NOT EXISTS (SELECT 1 FROM platform.orgs WHERE name = 'db escape probe')`);
      const count = async () => (await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM platform.orgs WHERE name = 'db escape probe'`)).rows[0]!.n;
      const before = await count();
      expect(before).toBe(1);
      const journey = defineJourney({ id: 'db-escape', title: 'db', steps: [db('escape', { run: async (q) => { for (const sql of c.sql) await q(sql); } })] });
      const target: Partial<Target> =
        via === 'database URL' ? { databaseUrl: secret(dbUrl) }
        : via === 'sandbox session' ? { sandbox: { controlToken: secret('unused-token'), connect: () => env.pool.connect() } }
        : { apiUrl: route.url, sandbox: { controlToken: secret('route-token') } };
      const step = (await run([journey], { target })).journeys[0]!.attempts[0]!.steps[0]!;
      expect({ status: step.status, code: step.code }).toEqual({ status: c.status, code: c.code });
      expect(step.message).toMatch(c.message);
      expect(await count()).toBe(before);
      // The shared connection is usable again afterwards.
      expect((await env.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  }

  it('checks Keycloak directly through the admin client', async () => {
    const result = await run([
      defineJourney({ id: 'kc', title: 'kc', steps: [idp('sysadmin exists', { run: async (kc, c) => void c.check('found', (await kc.users.find({ username: 'sysadmin', exact: true })).length, 1) })] }),
    ]);
    expect(result.journeys[0]!.status).toBe('passed');
  });

  it('keeps identity passwords, tokens and target secrets out of the results', async () => {
    const result = await run([
      defineJourney({
        id: 'secrets',
        title: 'secrets',
        steps: [
          signup,
          login('log in', { user: (c) => ({ username: c.identity('me').email, password: c.identity('me').password }), saveAs: 'token' }),
          http('leaks', { soft: true, request: () => ({ method: 'GET', path: '/healthz' }), then: (_r, c) => void c.check('leak', `${c.identity('me').password} ${c.vars.token} ${c.target.adminClient.clientSecret.reveal()}`, 'x', { soft: true }) }),
          adminLogin,
          removeMe,
        ],
      }),
    ]);
    const text = JSON.stringify(result);
    expect(text).toContain('[redacted] [redacted] [redacted]');
    expect(text).not.toContain('sandbox-admin-secret');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
  });
});

describe('conditional steps', () => {
  it('skips a step whose condition does not hold, with the reason, and runs it when it does', async () => {
    const result = await run([
      defineJourney({
        id: 'when',
        title: 'when',
        steps: [
          http('sets a flag', { request: () => ({ method: 'GET', path: '/healthz' }), then: (_r, c) => void (c.vars.flag = true) }),
          http('only without the flag', { when: (c) => !c.vars.flag, request: () => ({ method: 'GET', path: '/healthz' }) }),
          cleanup(http('only with the flag', { when: (c) => !!c.vars.flag, request: () => ({ method: 'GET', path: '/healthz' }) })),
        ],
      }),
    ]);
    const steps = result.journeys[0]!.attempts[0]!.steps;
    expect(steps.map((s) => s.status)).toEqual(['passed', 'skipped', 'passed']);
    expect(steps[1]!.message).toBe('its condition does not hold');
    expect(result.journeys[0]!.status).toBe('passed');
  });
});
