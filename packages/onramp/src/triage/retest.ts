// The runbook's last recovery step: re-test with the same user journey and confirm the resolution
// by the new correlation ids. The journey runs against the target as in `onramp run`, console
// progress included.
import type { JourneyDefinition } from '../engine/journey.ts';
import type { Target } from '../engine/target.ts';
import type { Evidence } from './evidence.ts';
import { runJourneys } from '../engine/runner.ts';
import { createHttpExecutor } from '../engine/executors/http.ts';
import { createIdpExecutor } from '../engine/executors/idp.ts';
import { createDbExecutor } from '../engine/executors/db.ts';
import { ConsoleReporter } from '../reporters/console.ts';
import { fanOut } from '../engine/reporter.ts';
import { loadContracts } from '../contracts/index.ts';
import { bundledStep } from './bundle-path.ts';

export async function retest(journey: JourneyDefinition, target: Target): Promise<NonNullable<Evidence['retest']>> {
  const executors = [createHttpExecutor({ contracts: await loadContracts() }), createIdpExecutor(), createDbExecutor()];
  try {
    const run = await runJourneys({ journeys: [journey], target, executors, reporter: fanOut([new ConsoleReporter()], (name, hook, err) => console.error(`reporter ${name} failed in ${hook}: ${(err as Error).message}`)) });
    const steps = run.journeys[0]?.attempts.at(-1)?.steps ?? [];
    return {
      journey: journey.id,
      status: run.journeys[0]?.status ?? run.status,
      correlation_ids: [...new Set(steps.flatMap((s) => (s.correlationId ? [s.correlationId] : [])))],
      failures: steps.filter(bundledStep).map((s) => ({ journey: journey.id, step: s.name, code: s.code ?? 'unknown', message: s.message, expected: s.expected, actual: s.actual })),
    };
  } finally {
    for (const e of executors) await e.close?.();
  }
}
