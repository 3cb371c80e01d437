// Reporters see a run through optional lifecycle hooks, as Playwright's do. File reporters write
// in onRunEnd. The fan-out isolates a failing reporter: it is logged, the others go on.
import type { JourneyResult, RunResult, StepResult } from './results.ts';

export interface RunInfo {
  runId: string;
  target: string;
  journeys: { id: string; title: string }[];
}

export interface Reporter {
  readonly name: string;
  onRunStart?(info: RunInfo): void | Promise<void>;
  onJourneyStart?(journey: { id: string; title: string }, attempt: number): void | Promise<void>;
  onStepStart?(journeyId: string, step: { id: string; name: string; kind: string }): void | Promise<void>;
  onStepEnd?(journeyId: string, step: StepResult): void | Promise<void>;
  onJourneyEnd?(journey: JourneyResult): void | Promise<void>;
  onRunEnd?(run: RunResult): void | Promise<void>;
}

type Hook = Exclude<keyof Reporter, 'name'>;

export function fanOut(reporters: Reporter[], onError: (reporter: string, hook: string, err: unknown) => void): Required<Omit<Reporter, 'name'>> {
  const call =
    <H extends Hook>(hook: H) =>
    async (...args: Parameters<NonNullable<Reporter[H]>>) => {
      for (const r of reporters) {
        try {
          await (r[hook] as ((...a: unknown[]) => unknown) | undefined)?.apply(r, args);
        } catch (err) {
          onError(r.name, hook, err);
        }
      }
    };
  return {
    onRunStart: call('onRunStart'),
    onJourneyStart: call('onJourneyStart'),
    onStepStart: call('onStepStart'),
    onStepEnd: call('onStepEnd'),
    onJourneyEnd: call('onJourneyEnd'),
    onRunEnd: call('onRunEnd'),
  };
}
