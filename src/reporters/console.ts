// Live progress per step, then a summary listing every failure with its step, code, expected and
// actual values and correlation id: what an engineer needs to open the runbook.
import type { Writable } from 'node:stream';
import type { JourneyResult, RunResult, StepResult } from '../engine/results.ts';
import { show } from '../engine/failure.ts';
import type { Reporter, RunInfo } from './reporter.ts';
import { summarise } from './json.ts';

const MARK: Record<StepResult['status'], string> = { passed: 'ok  ', failed: 'FAIL', error: 'ERR ', skipped: 'skip' };

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  constructor(private readonly out: Writable = process.stdout) {}

  private line(text = '') {
    this.out.write(`${text}\n`);
  }

  onRunStart(info: RunInfo) {
    this.line(`onramp run ${info.runId} against ${info.target}: ${info.journeys.length} journey(s)`);
  }

  onJourneyStart(journey: { id: string; title: string }, attempt: number) {
    this.line(`\n${journey.id}${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${journey.title}`);
  }

  onStepEnd(_journeyId: string, s: StepResult) {
    const tail = s.status === 'failed' || s.status === 'error' ? `  [${s.code}] ${s.message ?? ''}` : s.status === 'skipped' ? `  (${s.message})` : '';
    this.line(`  ${MARK[s.status]} ${s.name}${s.always ? ' (cleanup)' : ''}  ${s.durationMs} ms${tail}`);
  }

  onJourneyEnd(j: JourneyResult) {
    if (j.status === 'skipped') this.line(`\n${j.id}: skipped (${j.reason})`);
    else this.line(`  => ${j.status}${j.attempts.length > 1 ? ` after ${j.attempts.length} attempts` : ''} in ${j.durationMs} ms`);
  }

  onRunEnd(run: RunResult) {
    const s = summarise(run);
    this.line(`\n${s.total} journeys: ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.error} error, ${s.skipped} skipped (${run.durationMs} ms)`);
    const failures = run.journeys.flatMap((j) => (j.attempts.at(-1)?.steps ?? []).filter((st) => st.status === 'failed' || st.status === 'error').map((st) => ({ j, st })));
    if (!failures.length) return;
    this.line('\nFailures:');
    for (const { j, st } of failures) {
      this.line(`  ${j.id} > ${st.name}${j.status === 'flaky' ? ' (flaky)' : ''}`);
      this.line(`    code:           ${st.code}`);
      this.line(`    expected:       ${show(st.expected)}`);
      this.line(`    actual:         ${show(st.actual)}`);
      this.line(`    correlation_id: ${st.correlationId ?? 'none'}`);
      for (const v of st.violations) this.line(`    contract:       ${v.instancePath || '/'} ${v.message}`);
    }
  }
}
