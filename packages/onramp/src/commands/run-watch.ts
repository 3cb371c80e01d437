// What can end a run early, turned into a run-level result instead of a crash: SIGINT/SIGTERM (a CI
// cancel, Ctrl-C), a target that stops answering mid-run, an error nothing caught. Each aborts the
// run's signal with a RunError; the runner stops starting steps, lets cleanup run within its grace
// budget (derived from the cleanup steps' own timeouts), and the reports are written. A second
// signal exits at once, naming the synthetic identities it leaves behind.
import { request } from 'undici';
import type { Target } from '../engine/target.ts';
import type { Leftover, RunError, StepResult } from '../engine/results.ts';
import type { Reporter } from '../engine/reporter.ts';
import { TRANSPORT_CODES, failureReason } from '../engine/transport.ts';
import { describeLeftovers } from '../engine/leftovers.ts';
import { SIGNAL_EXIT } from './shutdown.ts';

export interface RunWatch {
  signal: AbortSignal;
  /** Watches step results for a target that stopped answering. */
  reporter: Reporter;
  /** 130 or 143 when a signal cut the run short. */
  exitCode(): number | undefined;
  stop(): void;
}

export interface WatchOptions {
  /** The cleanup budget, for the first signal's message (known once the journeys are selected). */
  budgetMs?: () => number | undefined;
  /** What an exit right now would leave behind, for the second signal's message. */
  pending?: () => Leftover[];
  /** How to remove leftovers (`onramp sweep ...`). */
  sweepHint?: () => string;
}

/** `target` is read when a probe is due: the watch starts before the embedded sandbox has booted. */
export function watchRun(target: () => Target | undefined, o: WatchOptions = {}): RunWatch {
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const abort = (error: RunError) => {
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      const left = o.pending?.() ?? [];
      process.stderr.write(
        left.length
          ? `onramp run: ${signal} received again: exiting now; cleanup did not finish for ${left.length} journey${left.length > 1 ? 's' : ''}, left behind:\n${describeLeftovers(left).join('\n')}\n${o.sweepHint?.() ?? 'remove them with onramp sweep --ttl 0s'}\n`
          : `onramp run: ${signal} received again: exiting now; no synthetic identity is left behind\n`,
      );
      process.exit(SIGNAL_EXIT[signal] ?? 1);
    }
    signalled = signal;
    const budget = o.budgetMs?.();
    process.stderr.write(`onramp run: ${signal} received: cleaning up${budget ? ` (up to ${Math.ceil(budget / 1000)} s, the cleanup steps' own timeouts)` : ''} and writing reports (${signal} again to exit at once)\n`);
    abort({ code: 'interrupted', message: `${signal} received: no new steps were started; cleanup of the journeys in flight ran` });
  };
  const onCrash = (err: unknown) => abort({ code: 'internal_error', message: `an error nothing handled: ${(err as Error)?.message ?? String(err)}` });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  let probing = false;
  const reporter: Reporter = {
    name: 'target-watch',
    async onStepEnd(_journeyId: string, step: StepResult) {
      const t = target();
      if (!t || probing || controller.signal.aborted || (step.code !== TRANSPORT_CODES.unreachable && step.code !== TRANSPORT_CODES.reset)) return;
      probing = true;
      try {
        const down = await firstDown([t.apiUrl, t.idpUrl]);
        if (down) abort({ code: 'target_unreachable', message: `the target "${t.name}" stopped answering during the run (${down})` });
      } finally {
        probing = false;
      }
    },
  };
  return {
    signal: controller.signal,
    reporter,
    exitCode: () => (signalled ? SIGNAL_EXIT[signalled] : undefined),
    stop() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
  };
}

/** The first URL that gets no HTTP answer at all (any status counts as alive), with why. */
async function firstDown(urls: string[]): Promise<string | undefined> {
  for (const url of urls) {
    try {
      const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(2_000) });
      await res.body.dump();
    } catch (err) {
      return `${url}: ${failureReason(err)}`;
    }
  }
  return undefined;
}
