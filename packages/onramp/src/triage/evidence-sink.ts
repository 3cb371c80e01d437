// The evidence sink: for each failed step of a run, the runbook's incident evidence bundle in
// <output>/evidence/<correlation_id>/, its path set on the step's result (`evidence`) for the
// reports that run after it to link. Collected when the step ends, before the journey's cleanup
// removes what the bundle must show (the user's rows, its Keycloak user). A failure that cannot be
// collected is logged by the fan-out; the run goes on.
import { join } from 'node:path';
import { failureCodeOf, type StepResult } from '../engine/results.ts';
import type { Reporter, RunInfo } from '../engine/reporter.ts';
import { TriageSources } from './sources.ts';
import { collectEvidence, writeBundle } from './bundle.ts';
import { bundleDirName, bundledStep } from './bundle-path.ts';
import type { Evidence, FailureRef } from './evidence.ts';

export class EvidenceSink implements Reporter {
  readonly name = 'evidence';
  #runId?: string;
  readonly #attempts = new Map<string, number>();
  readonly #bundles = new Map<string, Evidence>();

  constructor(
    private readonly outputDir: string,
    private readonly sources: TriageSources,
  ) {}

  onRunStart(info: RunInfo) {
    this.#runId = info.runId;
  }

  onJourneyStart(journey: { id: string }, attempt: number) {
    this.#attempts.set(journey.id, attempt);
  }

  async onStepEnd(journeyId: string, step: StepResult) {
    if (!bundledStep(step)) return;
    const dir = bundleDirName(step.correlationId ?? null, `${journeyId}-${step.id}`);
    const failure: FailureRef = { journey: journeyId, step: step.name, step_id: step.id, attempt: this.#attempts.get(journeyId), code: failureCodeOf(step), message: step.message, expected: step.expected, actual: step.actual };
    // Two steps may fail on the effects of one request: one bundle, both failures.
    const earlier = this.#bundles.get(dir);
    const now = Date.now();
    const evidence = earlier
      ? { ...earlier, failures: [...earlier.failures, failure] }
      : await collectEvidence(this.sources, { source: 'run', runId: this.#runId, correlationId: step.correlationId ?? null, step, failures: [failure], window: { startMs: now - 15 * 60_000, endMs: now + 60_000 } });
    this.#bundles.set(dir, evidence);
    await writeBundle(join(this.outputDir, dir), evidence);
    step.evidence = join(dir, 'evidence.md');
  }

  async onRunEnd() {
    await this.sources.close();
  }
}
