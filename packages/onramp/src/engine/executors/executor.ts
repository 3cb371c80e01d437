// One executor per step kind, behind one interface. An executor reports a failed expectation by
// throwing StepFailure (or recording a soft one); anything else it throws is a step error.
import type { JourneyContext } from '../context.ts';
import type { Step } from '../journey.ts';

export interface StepExecutor<S extends Step = Step> {
  readonly kind: S['kind'];
  run(step: S, ctx: JourneyContext): Promise<void>;
  /** Why steps of this kind cannot run against this target, if they cannot (e.g. no database). */
  unavailable?(ctx: JourneyContext): string | undefined;
  /** The journey attempt `ctx` is over (its steps ran or were skipped): release what it held. */
  endAttempt?(ctx: JourneyContext): Promise<void>;
  close?(): Promise<void>;
}

/** Validates a response against the contract index (src/contracts). */
export interface ResponseValidator {
  validateResponse(r: { method: string; path: string; status: number; body: unknown }): {
    operationId?: string;
    violations: { instancePath: string; schemaPath: string; message: string; expected: unknown; actual: unknown }[];
  };
}
