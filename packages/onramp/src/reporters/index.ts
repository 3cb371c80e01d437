// The reporters a run can use, by the names `--reporter` takes.
import type { Reporter } from '../engine/reporter.ts';
import { ConsoleReporter } from './console.ts';
import { JsonReporter } from './json.ts';
import { JUnitReporter } from './junit.ts';
import { HtmlReporter } from './html.ts';

/** What a reporter may need: the report folder, and the API's log service name for LogQL queries. */
export interface ReporterOptions {
  outputDir: string;
  logService?: string;
}

export const REPORTERS: Record<string, (o: ReporterOptions) => Reporter> = {
  console: ({ outputDir }) => new ConsoleReporter(process.stdout, outputDir),
  json: ({ outputDir }) => new JsonReporter(outputDir),
  junit: ({ outputDir }) => new JUnitReporter(outputDir),
  html: ({ outputDir, logService }) => new HtmlReporter(outputDir, logService),
};

/** Reporters by name; unknown names are returned as problems, all of them. */
export function createReporters(names: string[], outputDir: string, logService?: string): { reporters: Reporter[]; unknown: string[] } {
  const unknown = names.filter((n) => !(n in REPORTERS));
  return { reporters: names.filter((n) => n in REPORTERS).map((n) => REPORTERS[n]!({ outputDir, logService })), unknown };
}
