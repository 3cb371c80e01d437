// What the runner does with codes the types cannot see: a journey run without the type checker that
// names a code without a row, an abort reason that is no RunError, and a step cut short after an
// interrupt. Every code a result carries stays a row of the catalogue, and run-level codes stay
// the run's.
import { describe, expect, it } from 'vitest';
import { runJourneys, runErrorOf } from '../../src/engine/runner.ts';
import { defineJourney, type Step } from '../../src/engine/journey.ts';
import { StepFailure } from '../../src/engine/failure.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import type { JourneyContext } from '../../src/engine/context.ts';
import { isStepFailureCode } from '../../src/failures/catalog.ts';
import { targetAt } from '../support/targets.ts';

/** A `browser` step kind run by a function: the step's own code decides what happens. */
type Act = (ctx: JourneyContext) => Promise<void> | void;
const executor: StepExecutor = { kind: 'browser', run: async (step, ctx) => (step as unknown as { act: Act }).act(ctx) };
const step = (name: string, act: Act): Step => ({ kind: 'browser', name, run: async () => undefined, act }) as unknown as Step;
const journey = (...steps: Step[]) => defineJourney({ id: 'j', title: 'j', steps });
const run = (steps: Step[], o: { signal?: AbortSignal; graceMs?: number } = {}) => runJourneys({ journeys: [journey(...steps)], target: targetAt('http://127.0.0.1:1'), executors: [executor], ...o });

// What a JavaScript journey (or one tsx loaded without checking) can write.
const untyped = (code: string) => code as never;

describe('codes the types cannot see', () => {
  it.each([
    ['a failure', (ctx: JourneyContext) => ctx.fail(untyped('nope_not_a_row'), 'the target said no')],
    ['a hard check', (ctx: JourneyContext) => void ctx.check('x', 1, 2, { code: untyped('nope_not_a_row') })],
    ['a soft check', (ctx: JourneyContext) => void ctx.check('x', 1, 2, { code: untyped('nope_not_a_row'), soft: true })],
    ['a thrown StepFailure', () => {
      throw new StepFailure(untyped('nope_not_a_row'), 'thrown');
    }],
    ['a run-level code', (ctx: JourneyContext) => ctx.fail(untyped('interrupted'), 'a step is no run')],
  ])('%s naming a code without a step row is check_failed, the code it named in the message', async (_what, act) => {
    const result = await run([step('s', act)]);
    const s = result.journeys[0]!.attempts[0]!.steps[0]!;
    expect({ status: s.status, code: s.code }, s.message).toEqual({ status: 'failed', code: 'check_failed' });
    expect(s.message).toMatch(/the journey named "(nope_not_a_row|interrupted)", which is no step failure code of the catalogue/);
    expect(s.checks.map((c) => c.code).filter((c) => c !== undefined && !isStepFailureCode(c))).toEqual([]);
  });

  it('an abort reason that is no RunError (or names no row) is internal_error', () => {
    expect(runErrorOf(new Error('boom'))).toEqual({ code: 'internal_error', message: 'boom' });
    expect(runErrorOf({ code: 'made_up', message: 'm' })).toEqual({ code: 'internal_error', message: 'm' });
    expect(runErrorOf({ code: 'monitor_stopping', message: 'm' })).toEqual({ code: 'monitor_stopping', message: 'm' });
  });

  it('a step cut short when the grace period after an interrupt runs out is step_interrupted; the run is interrupted', async () => {
    const stop = new AbortController();
    const result = await run([step('hangs', () => new Promise<void>(() => setTimeout(() => stop.abort({ code: 'interrupted', message: 'SIGTERM received' }), 10)))], { signal: stop.signal, graceMs: 50 });
    const s = result.journeys[0]!.attempts[0]!.steps[0]!;
    expect({ status: s.status, code: s.code, actual: s.actual }).toEqual({ status: 'error', code: 'step_interrupted', actual: 'interrupted' });
    expect(result.error).toEqual({ code: 'interrupted', message: 'SIGTERM received' });
  });
});
