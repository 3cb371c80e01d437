// Live progress per step, then a summary listing every failure with its step, code, expected and
// actual values and correlation id: what an engineer needs to open the runbook. With journeys
// running concurrently, one journey at a time streams live; the others' lines are held back and
// printed as one block when its turn comes, so each journey's lines stay together.
import type { Writable } from 'node:stream';
import type { JourneyResult, RunResult, StepResult } from '../engine/results.ts';
import { stepFailed } from '../engine/results.ts';
import { show } from '../engine/failure.ts';
import type { Reporter, RunInfo } from '../engine/reporter.ts';
import { journeyCounts, summarise, unavailableChecks } from './json.ts';
import { join } from 'node:path';

const MARK: Record<StepResult['status'], string> = { passed: 'ok  ', failed: 'FAIL', error: 'ERR ', skipped: 'skip' };

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  /** The journey whose lines go out live. */
  #live?: string;
  /** Lines held back per journey, in the order the journeys started; `done` once it ended. */
  readonly #held = new Map<string, { lines: string[]; done: boolean }>();

  /** With the output folder, each failure names its evidence bundle. */
  constructor(
    private readonly out: Writable = process.stdout,
    private readonly outputDir?: string,
  ) {}

  private line(text = '') {
    this.out.write(`${text}\n`);
  }

  private write(journeyId: string, text: string) {
    this.#live ??= journeyId;
    if (this.#live === journeyId) return this.line(text);
    let held = this.#held.get(journeyId);
    if (!held) this.#held.set(journeyId, (held = { lines: [], done: false }));
    held.lines.push(text);
  }

  /** Hands the console to the next journey: finished blocks go out whole, then one goes live. */
  private handOver() {
    this.#live = undefined;
    for (const [id, held] of this.#held) {
      this.#held.delete(id);
      for (const l of held.lines) this.line(l);
      if (!held.done) {
        this.#live = id;
        return;
      }
    }
  }

  onRunStart(info: RunInfo) {
    this.line(`onramp run ${info.runId} against ${info.target}: ${info.journeys.length} journey(s)`);
  }

  onJourneyStart(journey: { id: string; title: string }, attempt: number) {
    this.write(journey.id, `\n${journey.id}${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${journey.title}`);
  }

  onStepEnd(journeyId: string, s: StepResult) {
    const tail = stepFailed(s) ? `  [${s.code}] ${s.message ?? ''}` : s.status === 'skipped' ? `  (skipped: ${s.message})` : s.flaky ? `  (flaky: [${s.flaky.code}] ${s.flaky.message})` : '';
    this.write(journeyId, `  ${MARK[s.status]} ${s.name}${s.always ? ' (cleanup)' : ''}  ${s.durationMs} ms${tail}`);
  }

  onJourneyEnd(j: JourneyResult) {
    if (!j.attempts.length) this.write(j.id, `\n${j.id}: ${j.status} (${j.reason})`);
    else this.write(j.id, `  => ${j.status}${j.attempts.length > 1 ? ` after ${j.attempts.length} attempts` : ''} in ${j.durationMs} ms`);
    const held = this.#held.get(j.id);
    if (held) held.done = true;
    if (this.#live === j.id) this.handOver();
  }

  onRunEnd(run: RunResult) {
    const s = summarise(run);
    this.line(`\n${journeyCounts(s)} (${run.durationMs} ms)`);
    const st = s.steps;
    const unavailable = unavailableChecks(run);
    this.line(`${st.total} steps: ${st.passed} passed, ${st.failed} failed, ${st.error} error, ${st.skipped} skipped${unavailable ? `; ${unavailable}` : ''}`);
    if (run.error) this.line(`\nRun error [${run.error.code}]: ${run.error.message}`);
    const flaky = run.journeys.flatMap((j) => (j.attempts.at(-1)?.steps ?? []).filter((x) => x.flaky).map((x) => ({ j, st: x })));
    if (flaky.length) this.line('\nFlaky (passed on a retried request):');
    for (const { j, st } of flaky) this.line(`  ${j.id} > ${st.name}  [${st.flaky!.code}] ${st.flaky!.message}`);
    const failures = run.journeys.flatMap((j) => (j.attempts.at(-1)?.steps ?? []).filter(stepFailed).map((x) => ({ j, st: x })));
    if (!failures.length) return;
    this.line('\nFailures:');
    for (const { j, st: f } of failures) {
      this.line(`  ${j.id} > ${f.name}${j.status === 'flaky' ? ' (flaky)' : ''}`);
      this.line(`    code:           ${f.code}`);
      this.line(`    expected:       ${show(f.expected)}`);
      this.line(`    actual:         ${show(f.actual)}`);
      this.line(`    correlation_id: ${f.correlationId ?? 'none'}`);
      if (f.requestId) this.line(`    request_id:     ${f.requestId.id} (X-Request-ID sent by ${f.requestId.sentBy}, not the target's)`);
      for (const v of f.violations) this.line(`    contract:       ${v.message}`);
      const evidence = f.evidence;
      if (evidence) this.line(`    evidence:       ${join(this.outputDir!, evidence)}`);
    }
  }
}
