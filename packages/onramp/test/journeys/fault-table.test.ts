// Every sandbox fault against the journeys that must catch it: switched on, the journey fails in
// the named step with the runbook's failure code (and, where the symptom is an HTTP answer of the
// platform, with that answer's correlation id); switched off again, and nothing is left behind.
// The console's faults are caught by the browser journey (a real Chromium).
import { afterEach, describe, expect, it } from 'vitest';
import { FAULTS } from '../../../sandbox/src/faults/catalog.ts';
import { useJourneySandbox } from './support.ts';
import { FAULT_TABLE as TABLE } from '../support/fault-table.ts';

const env = useJourneySandbox();

afterEach(() => {
  env.sandbox.faults.set({ off: env.sandbox.faults.list() });
});

describe('fault table', () => {
  it('covers every fault of the sandbox catalog exactly once', () => {
    expect(TABLE.map((r) => r.fault).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  for (const row of TABLE) {
    const names = row.catches.map((c) => `${c.journey} -> ${c.code}`).join(', ');
    it(`${row.fault}: ${names}`, async () => {
      env.sandbox.faults.set({ on: [row.fault] });
      let result;
      try {
        result = await env.run(row.catches.map((c) => env.journey(c.journey)));
      } finally {
        env.sandbox.faults.set({ off: [row.fault] });
      }
      for (const c of row.catches) {
        const j = result.journeys.find((x) => x.id === c.journey)!;
        const failed = env.firstFailure(j);
        expect({ journey: j.id, status: j.status, step: failed?.name, code: failed?.code }).toEqual({ journey: c.journey, status: 'failed', step: c.step, code: c.code });
        if (c.correlated) expect(failed!.correlationId, `${c.journey}: correlation id of the failing step`).toMatch(/^[0-9a-f-]{36}$/);
        // Cleanup ran and succeeded after the failure, or was skipped because its condition did not hold.
        const cleanups = j.attempts[0]!.steps.filter((s) => s.always);
        const ok = (s: (typeof cleanups)[number]) => s.status === 'passed' || (s.status === 'skipped' && s.message === 'its condition does not hold');
        expect(cleanups.map((s) => `${s.name}: ${ok(s) ? 'passed or skipped' : s.status}`)).toEqual(cleanups.map((s) => `${s.name}: passed or skipped`));
      }
      expect(await env.leftovers()).toEqual({ platform: [], keycloak: [] });
    }, 60_000);
  }

  it('passes every journey of the table again once the faults are off', async () => {
    const ids = [...new Set(TABLE.flatMap((r) => r.catches.map((c) => c.journey)))];
    const result = await env.run(ids.map((id) => env.journey(id)));
    expect(result.journeys.map((j) => [j.id, j.status, env.firstFailure(j)?.code])).toEqual(ids.map((id) => [id, 'passed', undefined]));
  }, 120_000);
});
