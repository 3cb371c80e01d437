// The reporters a run can use, by the names `--reporter` takes.
import type { Reporter } from './reporter.ts';
import { ConsoleReporter } from './console.ts';
import { JsonReporter } from './json.ts';
import { JUnitReporter } from './junit.ts';

export const REPORTERS: Record<string, (o: { outputDir: string }) => Reporter> = {
  console: () => new ConsoleReporter(),
  json: ({ outputDir }) => new JsonReporter(outputDir),
  junit: ({ outputDir }) => new JUnitReporter(outputDir),
};

/** Reporters by name; unknown names are returned as problems, all of them. */
export function createReporters(names: string[], outputDir: string): { reporters: Reporter[]; unknown: string[] } {
  const unknown = names.filter((n) => !(n in REPORTERS));
  return { reporters: names.filter((n) => n in REPORTERS).map((n) => REPORTERS[n]!({ outputDir })), unknown };
}
