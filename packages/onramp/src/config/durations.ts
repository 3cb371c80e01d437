// Every duration a user gives, in the config file or on the command line, has bounds, checked with
// the other input before anything starts: past them a value is a typo, and no value may reach a
// Node timer unbounded (above 2^31-1 ms, about 24.8 days, a timer fires at once instead of waiting)
// or a date computation (an out-of-range Date throws). The README's config section lists them.
import { parseDuration } from '../engine/sweep.ts';

export interface DurationBounds {
  min: number;
  max: number;
}

const S = 1_000;
const H = 3_600_000;
const D = 86_400_000;

/** The bounds of each kind of duration; intervals have their own rule (scheduleProblem: 1s to 24h). */
export const DURATION_BOUNDS = {
  /** monitor.jitter, monitor.journeys.*.jitter */
  jitter: { min: 0, max: H },
  /** monitor.run_timeout */
  runTimeout: { min: S, max: H },
  /** monitor.grace */
  grace: { min: 0, max: H },
  /** monitor.retention */
  retention: { min: H, max: 365 * D },
  /** monitor.sweeper.ttl, onramp sweep --ttl */
  ttl: { min: 0, max: 365 * D },
  /** onramp triage --since */
  since: { min: S, max: 90 * D },
} as const satisfies Record<string, DurationBounds>;

/** `90000` -> `90s`, `3600000` -> `1h`: the largest unit that divides it. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', D], ['h', H], ['m', 60_000], ['s', S]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return ms === 0 ? '0s' : `${ms}ms`;
}

/** Why `text` is not a duration within `bounds`, or undefined when it is. */
export function durationProblem(text: string, bounds: DurationBounds): string | undefined {
  const ms = parseDuration(text);
  const range = `from ${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}`;
  if (ms === undefined) return `expected a duration ${range} (such as 90s, 30m, 6h or 7d), got "${text}"`;
  return ms < bounds.min || ms > bounds.max ? `expected a duration ${range}, got "${text}"` : undefined;
}

/** The duration in ms; a problem naming `at` (an option or a config field) when it is out of bounds. */
export function boundedDuration(at: string, text: string | undefined, bounds: DurationBounds, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  const problem = durationProblem(text, bounds);
  if (problem) problems.push(`${at}: ${problem}`);
  return problem ? undefined : parseDuration(text);
}
