// Where a failed step's evidence bundle lives in the report folder.
import { join } from 'node:path';
import type { StepResult } from '../engine/results.ts';
import { stepFailed } from '../engine/results.ts';

/** A step that gets a bundle: failed or errored, and not cleanup. */
export const bundledStep = (s: StepResult) => stepFailed(s) && !s.always;

/**
 * The folder of one correlation id's bundle, relative to the output folder. The id comes from the
 * target's answers: whatever it holds, the folder is one name inside evidence/ (no separators, no
 * leading dots, so never `.` or `..`).
 */
export function bundleDirName(correlationId: string | null, fallback: string): string {
  return join('evidence', (correlationId ?? `no-correlation-id-${fallback}`).replace(/[^\w.-]/g, '_').replace(/^\./, '_').slice(0, 200));
}
