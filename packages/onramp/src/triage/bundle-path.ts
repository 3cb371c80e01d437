// Where a failed step's evidence bundle lives in the report folder, so every report can link to
// it without loading the collectors.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../engine/results.ts';
import { stepFailed } from '../engine/results.ts';

/** A step that gets a bundle: failed or errored, and not cleanup. */
export const bundledStep = (s: StepResult) => stepFailed(s) && !s.always;

/** The folder of one correlation id's bundle, relative to the output folder. */
export function bundleDirName(correlationId: string | null, fallback: string): string {
  return join('evidence', (correlationId ?? `no-correlation-id-${fallback}`).replace(/[^\w.-]/g, '_'));
}

/** A failed step's evidence.md relative to the output folder, when the evidence sink wrote one. */
export function evidenceLink(outputDir: string, journeyId: string, step: StepResult): string | undefined {
  if (!bundledStep(step)) return undefined;
  const rel = join(bundleDirName(step.correlationId ?? null, `${journeyId}-${step.name}`), 'evidence.md');
  return existsSync(join(outputDir, rel)) ? rel : undefined;
}
