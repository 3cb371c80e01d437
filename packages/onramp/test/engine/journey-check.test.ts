// A journey file's timeouts are bounded when it is loaded: a typo (or a value past Node's 32-bit
// timer limit, which would fire at once) is a problem naming the file, the step and the value.
import { describe, expect, it } from 'vitest';
import { checkJourney } from '../../src/engine/load-journeys.ts';
import { defineJourney, idp } from '../../src/engine/journey.ts';

const journey = (timeoutMs: number | undefined, stepTimeoutMs: number | undefined) =>
  defineJourney({ id: 'j', title: 'j', ...(timeoutMs === undefined ? {} : { timeoutMs }), steps: [idp('s', { ...(stepTimeoutMs === undefined ? {} : { timeoutMs: stepTimeoutMs }), run: async () => undefined })] });

describe('journey timeouts', () => {
  it.each([
    [undefined, undefined, []],
    [3_600_000, 1, []],
    [2 ** 31, undefined, ['j.journey.ts: timeoutMs: expected whole milliseconds from 1 to 3600000 (1h), got 2147483648']],
    [0, undefined, ['j.journey.ts: timeoutMs: expected whole milliseconds from 1 to 3600000 (1h), got 0']],
    [undefined, 1.5, ['j.journey.ts: steps[0] "s": timeoutMs: expected whole milliseconds from 1 to 3600000 (1h), got 1.5']],
    [undefined, 86_400_000, ['j.journey.ts: steps[0] "s": timeoutMs: expected whole milliseconds from 1 to 3600000 (1h), got 86400000']],
  ])('journey %s ms, step %s ms: %j', (journeyMs, stepMs, problems) => {
    expect(checkJourney(journey(journeyMs, stepMs), 'j.journey.ts')).toEqual(problems);
  });
});
