// A step's failure as a value: the code naming the symptom, a message showing actual next to
// expected, and both values. Executors and journey code throw it; the runner records it. The code
// is one of the failure catalogue's step codes: a journey naming another does not compile.
import type { StepFailureCode } from '../failures/catalog.ts';

// `instanceof` goes by this brand, not by class identity: a TypeScript journey loaded beside the
// compiled CLI (dist/) brings its own copy of this module, and its failures must still count.
const BRAND = Symbol.for('onramp.StepFailure');

export class StepFailure extends Error {
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(
    readonly code: StepFailureCode,
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** `status (500) == 400`: the actual value first, as Gatus writes it. */
export function describeMismatch(what: string, actual: unknown, expected: unknown): string {
  return `${what} (${show(actual)}) == ${show(expected)}`;
}

export function show(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
