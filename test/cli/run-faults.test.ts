// The fault table through the CLI, as a user reproducing a symptom runs it: `onramp run --fault
// NAME` on the embedded default (PGlite, db steps through the sandbox's own connection) exits 1 and
// names the symptom's own code, in the named step, with the correlation id; cleanup still ran.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/spawn-cli.ts';
import { FAULT_TABLE } from '../support/fault-table.ts';

interface ReportStep { name: string; status: string; always: boolean; code: string | null; correlation_id: string | null; message: string | null }
interface ReportJourney { id: string; status: string; steps: ReportStep[] }

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-faults-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('onramp run --fault NAME on the embedded sandbox', () => {
  for (const row of FAULT_TABLE) {
    const journeys = [...new Set(row.catches.map((c) => c.journey))];
    it(`${row.fault}: ${row.catches.map((c) => `${c.journey} -> ${c.code}`).join(', ')}`, async () => {
      const out = join(dir, row.fault);
      const { code, stdout, stderr } = await runCli(['run', '--fault', row.fault, ...journeys.flatMap((j) => ['--journey', j]), '--reporter', 'console,json', '--output', out]);
      expect(code, `${stdout}\n${stderr}`).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { journeys: ReportJourney[] };
      for (const c of row.catches) {
        const j = report.journeys.find((x) => x.id === c.journey)!;
        const failed = j.steps.find((s) => !s.always && (s.status === 'failed' || s.status === 'error'));
        expect({ journey: j.id, status: j.status, step: failed?.name, code: failed?.code }).toEqual({ journey: c.journey, status: 'failed', step: c.step, code: c.code });
        if (c.correlated) expect(failed!.correlation_id, `${c.journey}: correlation id of the failing step`).toMatch(/^[0-9a-f-]{36}$/);
        // The console names the code and correlation id too, next to the step.
        expect(stdout).toContain(`${c.journey} > ${c.step}`);
        const cleanups = j.steps.filter((s) => s.always);
        const ok = (s: ReportStep) => s.status === 'passed' || (s.status === 'skipped' && s.message === 'its condition does not hold');
        expect(cleanups.map((s) => `${s.name}: ${ok(s) ? 'passed or skipped' : s.status}`)).toEqual(cleanups.map((s) => `${s.name}: passed or skipped`));
      }
    }, 90_000);
  }
});
