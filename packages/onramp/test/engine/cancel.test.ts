// Cancelling a run, in the engine: a waiting step gives way at once to the run's signal (ctx.sleep,
// ctx.waitSignal) and the journey's cleanup runs; the grace is derived from the steps' own
// timeouts; identities whose cleanup did not finish are listed on the run (and in results.json,
// valid against its schema); the tracker names, mid-cleanup, what an exit now would leave.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CleanupTracker, cleanupBudgetMs, runJourneys } from '../../src/engine/runner.ts';
import { cleanup, defineJourney, idp, type IdpStep } from '../../src/engine/journey.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import type { JourneyContext } from '../../src/engine/context.ts';
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import { toReport } from '../../src/reporters/json.ts';
import driftJourney from '../../journeys/identity-drift.journey.ts';

const target: Target = { name: 'scripted', apiUrl: 'http://127.0.0.1:9', idpUrl: 'http://127.0.0.1:9', realm: 'r', loginClient: { clientId: 'c' }, adminClient: { clientId: 'a', clientSecret: secret('s') }, systemAdmin: { username: 'u', password: secret('p') }, production: false };
const scripted: StepExecutor<IdpStep> = { kind: 'idp', run: async (step, ctx) => void (await step.run(undefined as never, ctx)) };
const step = (name: string, run: (ctx: JourneyContext) => Promise<void>, o: { timeoutMs?: number } = {}) => idp(name, { ...o, run: (_kc, ctx) => run(ctx) });
const interrupted = { code: 'interrupted', message: 'SIGTERM received' };

describe('a run cancelled mid-wait', () => {
  it('stops a polling step at once (ctx.sleep) and runs its cleanup, in well under a second', async () => {
    const removed: string[] = [];
    const journey = defineJourney({
      id: 'poller',
      title: 'poller',
      steps: [
        step('create', async (ctx) => void ctx.identity('user')),
        // Polls for a minute, as a step waiting for a worker does.
        step('wait for the worker', async (ctx) => { for (let i = 0; i < 60; i++) await ctx.sleep(1_000); }, { timeoutMs: 90_000 }),
        // A step that hands ctx.waitSignal to its own wait gives way too.
        step('never reached', async (ctx) => void (await sleep(60_000, undefined, { signal: ctx.waitSignal }))),
        cleanup(step('remove the user', async (ctx) => {
          // A cleanup step's waits do not end on the interrupt: it runs because of it.
          await ctx.sleep(50);
          removed.push(ctx.identity('user').username);
        })),
      ],
    });
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(interrupted), 200);
    const run = await runJourneys({ journeys: [journey], target, executors: [scripted as StepExecutor], signal: ac.signal });
    const elapsed = Date.now() - t0;
    const steps = run.journeys[0]!.attempts[0]!.steps;
    expect(steps.map((s) => [s.name, s.status, s.code ?? null])).toEqual([
      ['create', 'passed', null],
      ['wait for the worker', 'error', 'step_interrupted'],
      ['never reached', 'skipped', null],
      ['remove the user', 'passed', null],
    ]);
    expect(steps[1]!.message).toBe('stopped waiting when the run was interrupted: SIGTERM received');
    expect(removed).toHaveLength(1);
    expect(run.journeys[0]!.status).toBe('interrupted');
    expect(run.leftovers).toBeUndefined();
    expect(elapsed).toBeLessThan(1_000);
  });

  it('identity-drift polls with ctx.sleep, not a timer of its own', () => {
    const source = readFileSync(new URL('../../journeys/identity-drift.journey.ts', import.meta.url), 'utf8');
    expect(source).toMatch(/await ctx\.sleep\(/);
    expect(source).not.toMatch(/node:timers\/promises|setTimeout/);
  });
});

describe('the cleanup budget', () => {
  it('is the longest step in flight plus every cleanup step, each at its own timeout', () => {
    const j = (steps: IdpStep[]) => defineJourney({ id: 'j', title: 'j', steps });
    const noop = async () => undefined;
    expect(cleanupBudgetMs([j([step('a', noop), cleanup(step('c1', noop)), cleanup(step('c2', noop, { timeoutMs: 5_000 }))])])).toBe(30_000 + 30_000 + 5_000);
    expect(cleanupBudgetMs([j([step('a', noop, { timeoutMs: 2_000 }), cleanup(step('c', noop, { timeoutMs: 1_000 }))]), j([step('b', noop)])], 10_000)).toBe(10_000);
    // identity-drift: its polling step (80 s) and two cleanup steps at the default 30 s; not 15 s.
    expect(cleanupBudgetMs([driftJourney])).toBe(80_000 + 2 * 30_000);
  });

  it('lets a cleanup step that needs longer than 15 s finish (the old fixed grace cut it)', async () => {
    let removalMs = 15_500;
    // A cleanup step with a 20 s timeout that takes 15.5 s after the interrupt: the derived budget
    // (no graceMs given) is 0.5 + 20 s, so it finishes.
    const journey = defineJourney({
      id: 'slow-cleanup',
      title: 'slow cleanup',
      steps: [
        step('work', async (ctx) => { ctx.identity('user'); await sleep(300); }, { timeoutMs: 500 }),
        cleanup(step('slow removal', async () => void (await sleep(removalMs)), { timeoutMs: 20_000 })),
      ],
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(interrupted), 100);
    const t0 = Date.now();
    const run = await runJourneys({ journeys: [journey], target, executors: [scripted as StepExecutor], signal: ac.signal });
    expect(Date.now() - t0).toBeGreaterThan(15_500);
    expect(run.journeys[0]!.attempts[0]!.steps.map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(run.leftovers).toBeUndefined();
    // With an explicit grace shorter than the cleanup, the step is cut short and its identity listed.
    removalMs = 1_200;
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(interrupted), 100);
    const cut = await runJourneys({ journeys: [journey], target, executors: [scripted as StepExecutor], signal: ac2.signal, graceMs: 400 });
    expect(cut.journeys[0]!.attempts[0]!.steps[1]).toMatchObject({ status: 'error', code: 'step_interrupted' });
    expect(cut.leftovers).toEqual([{ journey: 'slow-cleanup', attempt: 1, identities: [expect.stringMatching(/^onramp-syn-/)], reason: expect.stringMatching(/^slow removal: error \(step_interrupted\): cut short/) }]);
  }, 40_000);
});

describe('what cleanup could not remove', () => {
  const journey = defineJourney({
    id: 'leaky',
    title: 'leaky',
    steps: [
      step('create', async (ctx) => {
        ctx.identity('admin');
        ctx.identity('user');
        ctx.vars.tenantId = '8d0f5c1e-0000-4000-8000-000000000001';
      }),
      cleanup(step('remove the users', async (ctx) => ctx.fail('cleanup_failed', 'DELETE /api/v1/admin/users/x: 503'))),
    ],
  });

  it('is listed on the run and in results.json, valid against report.schema.json', async () => {
    const run = await runJourneys({ journeys: [journey, defineJourney({ id: 'clean', title: 'clean', steps: [step('s', async (ctx) => void ctx.identity('x')), cleanup(step('c', async () => undefined))] })], target, executors: [scripted as StepExecutor] });
    expect(run.leftovers).toEqual([{ journey: 'leaky', attempt: 1, identities: [expect.stringMatching(/^onramp-syn-.*-leaky-admin$/), expect.stringMatching(/^onramp-syn-.*-leaky-user$/)], tenantId: '8d0f5c1e-0000-4000-8000-000000000001', reason: 'remove the users: failed (cleanup_failed): DELETE /api/v1/admin/users/x: 503' }]);
    const report = toReport(run);
    expect(report.run.leftovers).toEqual([{ journey: 'leaky', attempt: 1, identities: run.leftovers![0]!.identities, tenant_id: '8d0f5c1e-0000-4000-8000-000000000001', reason: run.leftovers![0]!.reason }]);
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../contracts/report.schema.json', import.meta.url), 'utf8')));
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is named by the tracker while cleanup is still running (what a second signal prints)', async () => {
    const tracker = new CleanupTracker();
    let seen: ReturnType<CleanupTracker['pending']> = [];
    const j = defineJourney({
      id: 'tracked',
      title: 'tracked',
      steps: [step('create', async (ctx) => void ctx.identity('user')), cleanup(step('remove', async () => void (seen = tracker.pending())))],
    });
    await runJourneys({ journeys: [j], target, executors: [scripted as StepExecutor], tracker });
    expect(seen).toEqual([{ journey: 'tracked', attempt: 1, identities: [expect.stringMatching(/-tracked-user$/)], reason: 'its cleanup was still running' }]);
    expect(tracker.pending()).toEqual([]);
  });
});
