// A step's failure as a value: the code naming the symptom, a message showing actual next to
// expected, and both values. Executors and journey code throw it; the runner records it.
export class StepFailure extends Error {
  constructor(
    readonly code: string,
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
