// No flakes: every API journey, RUNS times in a row against one clean sandbox, without retries,
// passes every time and leaves nothing behind. The issue asks for 100 in a row; in CI the count is
// kept where the file stays near 90 s (ONRAMP_STABILITY_RUNS raises it for a longer run).
import { describe, expect, it } from 'vitest';
import { useJourneySandbox } from './support.ts';

const RUNS = Number(process.env.ONRAMP_STABILITY_RUNS ?? 20);

const env = useJourneySandbox();

describe(`API journeys ${RUNS} runs in a row`, () => {
  it('pass every time, without retries, and leave nothing behind', async () => {
    const failures: { run: number; journey: string; step?: string; code?: string; message?: string }[] = [];
    const durations: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const t0 = performance.now();
      const result = await env.run(env.apiJourneys());
      durations.push(performance.now() - t0);
      for (const j of result.journeys) {
        if (j.status === 'passed') continue;
        const s = env.firstFailure(j) ?? j.attempts[0]?.steps.find((x) => x.status !== 'passed');
        failures.push({ run, journey: j.id, step: s?.name, code: s?.code, message: s?.message });
      }
    }
    const total = durations.reduce((a, b) => a + b, 0);
    const sorted = [...durations].sort((a, b) => a - b);
    // The figure the lead reports for the 100-run check.
    console.log(`stability: ${RUNS} runs x ${env.apiJourneys().length} journeys in ${Math.round(total)} ms; per run median ${Math.round(sorted[Math.floor(RUNS / 2)]!)} ms, max ${Math.round(sorted.at(-1)!)} ms`);
    expect(failures).toEqual([]);
    expect(await env.leftovers()).toEqual({ platform: [], keycloak: [] });
  }, Math.max(120_000, RUNS * 15_000));
});
