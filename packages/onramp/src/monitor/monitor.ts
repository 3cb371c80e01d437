// The monitor: a scheduler plus sinks. Each tick of a journey is one runJourneys call whose results
// fan out to the metrics sink and the history sink (the same Reporter interface as the CI reports);
// the sweeper runs on its own schedule; an HTTP server exposes metrics, health, runs and status.
import type { JourneyDefinition } from '../engine/journey.ts';
import type { Target } from '../engine/target.ts';
import type { StepExecutor } from '../engine/executors/executor.ts';
import type { RunMeta } from '../engine/results.ts';
import { runJourneys } from '../engine/runner.ts';
import { sweep } from '../engine/sweep.ts';
import { fanOut } from '../engine/reporter.ts';
import { MonitorMetrics } from './metrics.ts';
import { metricsSink } from './metrics-sink.ts';
import { historySink, type HistoryStore } from './history.ts';
import { Scheduler, usesBrowser, type ClaimTick, type ScheduledJob } from './scheduler.ts';
import { nominalIntervalMs, type Schedule } from './schedule.ts';
import { startServer } from './server.ts';

export interface MonitorSettings {
  concurrency: number;
  browserConcurrency: number;
  runTimeoutMs: number;
  /** On stop: how long in-flight runs may go on before they are interrupted. */
  graceMs: number;
  /** After the interrupt: the time cleanup steps still get (the runner's grace). */
  cleanupGraceMs: number;
  location?: string;
  retentionMs: number;
  sweeper?: { schedule: Schedule; ttlMs: number };
}

export interface MonitoredJourney {
  journey: JourneyDefinition;
  schedule: Schedule;
  jitterMs: number;
}

export interface MonitorOptions {
  journeys: MonitoredJourney[];
  target: Target;
  executors: StepExecutor[];
  settings: MonitorSettings;
  store: HistoryStore;
  /** Replica coordination (Postgres); each tick is this process's without it. */
  claim?: ClaimTick;
  meta?: RunMeta;
  host: string;
  port: number;
  metrics?: MonitorMetrics;
  log?: (line: string) => void;
}

export interface RunningMonitor {
  url: string;
  metrics: MonitorMetrics;
  scheduler: Scheduler;
  /** Stops ticking, lets in-flight runs finish (then interrupts them), closes the server. */
  stop(): Promise<void>;
}

const PRUNE_SCHEDULE: Schedule = { kind: 'interval', everyMs: 3_600_000, text: '1h' };

export async function startMonitor(o: MonitorOptions): Promise<RunningMonitor> {
  const s = o.settings;
  const log = o.log ?? ((line: string) => console.error(line));
  const metrics = o.metrics ?? new MonitorMetrics({ location: s.location });
  const location = s.location ?? '';
  const onReporterError = (name: string, hook: string, err: unknown) => log(`onramp monitor: sink ${name} failed in ${hook}: ${(err as Error).message}`);

  const jobs: ScheduledJob[] = o.journeys.map(({ journey, schedule, jitterMs }) => {
    metrics.interval.set({ journey: journey.id }, nominalIntervalMs(schedule) / 1000);
    return {
      id: journey.id,
      schedule,
      jitterMs,
      browser: usesBrowser(journey),
      async run(signal) {
        await runJourneys({
          journeys: [journey],
          target: o.target,
          executors: o.executors,
          signal,
          graceMs: s.cleanupGraceMs,
          journeyTimeoutMs: s.runTimeoutMs,
          meta: o.meta,
          reporter: fanOut([metricsSink(metrics), historySink(o.store, location)], onReporterError),
        });
      },
    };
  });
  if (s.sweeper) {
    const ttlMs = s.sweeper.ttlMs;
    jobs.push({
      id: '_sweeper',
      schedule: s.sweeper.schedule,
      jitterMs: 0,
      browser: false,
      unlimited: true,
      async run() {
        try {
          // Everything synthetic on the target now, then what the TTL says was left behind.
          const all = await sweep(o.target, { olderThanMs: 0, dryRun: true });
          const removed = await sweep(o.target, { olderThanMs: ttlMs });
          const leaked = removed.keycloakUsers.length + removed.errors.length;
          metrics.identities.set({ state: 'leaked' }, leaked);
          metrics.identities.set({ state: 'active' }, Math.max(0, all.keycloakUsers.length - leaked));
          metrics.sweeps.inc({ outcome: removed.errors.length ? 'error' : 'ok' });
        } catch (err) {
          metrics.sweeps.inc({ outcome: 'error' });
          throw err;
        }
      },
    });
  }
  if (o.store.kind === 'postgres') {
    jobs.push({ id: '_prune', schedule: PRUNE_SCHEDULE, jitterMs: 0, browser: false, unlimited: true, run: async () => void (await o.store.prune(s.retentionMs)) });
  }

  const scheduler = new Scheduler({
    jobs,
    concurrency: s.concurrency,
    browserConcurrency: s.browserConcurrency,
    location: s.location,
    claim: o.claim,
    onSkip: (id) => metrics.skippedTicks.inc({ journey: id }),
    onError: (id, err) => log(`onramp monitor: ${id}: ${(err as Error).message}`),
  });
  const server = await startServer(
    {
      metrics,
      store: o.store,
      journeys: o.journeys.map(({ journey, schedule }) => ({ id: journey.id, title: journey.title, schedule: schedule.text })),
      isRunning: () => scheduler.running,
      busy: () => scheduler.busy,
      location: s.location,
      refreshSeconds: 5,
    },
    o.host,
    o.port,
  );
  scheduler.start();
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    metrics,
    scheduler,
    stop: () =>
      (stopping ??= (async () => {
        await scheduler.stop(s.graceMs);
        await server.close();
      })()),
  };
}
