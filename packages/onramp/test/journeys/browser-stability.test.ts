// No flakes in the browser journey: switch-user-login RUNS times in a row (20 by default; the issue
// asks for 20) on one clean sandbox and one warm Chromium, without retries, passes every time and
// leaves nothing behind.
import { describe, expect, it } from 'vitest';
import { useJourneySandbox } from './support.ts';

const RUNS = Number(process.env.ONRAMP_BROWSER_STABILITY_RUNS ?? 20);

const env = useJourneySandbox();

describe(`switch-user-login ${RUNS} runs in a row`, () => {
  it('passes every time, without retries, and leaves nothing behind', async () => {
    const failures: { run: number; step?: string; code?: string; message?: string }[] = [];
    const durations: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const t0 = performance.now();
      const j = (await env.run([env.journey('switch-user-login')])).journeys[0]!;
      durations.push(performance.now() - t0);
      if (j.status === 'passed') continue;
      const s = env.firstFailure(j) ?? j.attempts[0]?.steps.find((x) => x.status !== 'passed');
      failures.push({ run, step: s?.name, code: s?.code, message: s?.message });
    }
    const sorted = [...durations].sort((a, b) => a - b);
    console.log(`browser stability: ${RUNS} runs of switch-user-login; per run median ${Math.round(sorted[Math.floor(RUNS / 2)]!)} ms, max ${Math.round(sorted.at(-1)!)} ms`);
    expect(failures).toEqual([]);
    expect(await env.leftovers()).toEqual({ platform: [], keycloak: [] });
  }, Math.max(120_000, RUNS * 20_000));
});
