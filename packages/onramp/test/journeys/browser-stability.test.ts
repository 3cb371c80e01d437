// No flakes in the browser journeys: operator-bootstrap RUNS times in a row (20 by default, as the
// issue asks) and switch-user-login half as many, on one clean sandbox and one warm Chromium, without
// retries, pass every time and leave nothing behind. switch-user-login's console steps (sign-in,
// logout, switch user, the tenant-admin shell) are shared steps that every operator-bootstrap run
// walks too, so they are checked RUNS times either way; CI time is better spent once.
import { describe, expect, it } from 'vitest';
import { useJourneySandbox } from './support.ts';

const RUNS = Number(process.env.ONRAMP_BROWSER_STABILITY_RUNS ?? 20);

const env = useJourneySandbox();

describe.each([
  ['operator-bootstrap', RUNS],
  ['switch-user-login', Math.ceil(RUNS / 2)],
])('%s %i runs in a row', (id, runs) => {
  it('passes every time, without retries, and leaves nothing behind', async () => {
    const failures: { run: number; step?: string; code?: string; message?: string }[] = [];
    const durations: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const t0 = performance.now();
      const j = (await env.run([env.journey(id)])).journeys[0]!;
      durations.push(performance.now() - t0);
      if (j.status === 'passed') continue;
      const s = env.firstFailure(j) ?? j.attempts[0]?.steps.find((x) => x.status !== 'passed');
      failures.push({ run, step: s?.name, code: s?.code, message: s?.message });
    }
    const sorted = [...durations].sort((a, b) => a - b);
    console.log(`browser stability: ${runs} runs of ${id}; per run median ${Math.round(sorted[Math.floor(runs / 2)]!)} ms, max ${Math.round(sorted.at(-1)!)} ms, total ${Math.round(durations.reduce((a, b) => a + b, 0) / 1000)} s`);
    expect(failures).toEqual([]);
    expect(await env.leftovers()).toEqual({ platform: [], keycloak: [] });
  }, Math.max(120_000, runs * 30_000));
});
