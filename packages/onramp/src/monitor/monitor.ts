// The monitor: a scheduler plus sinks. Each tick of a journey is one runJourneys call whose results
// fan out to the metrics sink and the history sink (the same Reporter interface as the CI reports);
// the sweeper runs on its own schedule; an HTTP server exposes metrics, health, runs and status.
import type { JourneyDefinition } from '../engine/journey.ts';
import { isEmbeddedSandbox, type Target } from '../engine/target.ts';
import type { StepExecutor } from '../engine/executors/executor.ts';
import type { RunMeta } from '../engine/results.ts';
import { runJourneys } from '../engine/runner.ts';
import { describeLeftovers, leftoversHeading } from '../engine/leftovers.ts';
import { sweep } from '../engine/sweep.ts';
import { fanOut } from '../engine/reporter.ts';
import { MonitorMetrics } from './metrics.ts';
import { metricsSink } from './metrics-sink.ts';
import { historySink, type HistoryStore } from './history.ts';
import { BufferedHistory } from './buffered-history.ts';
import { Scheduler, usesBrowser, type ClaimTick, type ScheduledJob } from './scheduler.ts';
import { nominalIntervalMs, type Schedule } from './schedule.ts';
import { startServer } from './server.ts';
import { ArtifactStore, artifactSink, type ArtifactSettings } from './artifact-store.ts';
import type { LogLinks } from './status-failure.ts';
import { buildInfo, targetInfo } from './build-info.ts';

export interface MonitorSettings {
  concurrency: number;
  browserConcurrency: number;
  runTimeoutMs: number;
  /**
   * On stop: how long in-flight runs may go on before they are interrupted. After the interrupt,
   * their cleanup steps get the runner's budget, derived from the steps' own timeouts.
   */
  graceMs: number;
  location?: string;
  retentionMs: number;
  /** Runs kept in memory while the history store is unreachable (default 1,000); the oldest beyond it are dropped and counted. */
  historyBufferSize?: number;
  /** How long a tick claim may take before this replica runs the tick without one (default 3 s). */
  claimTimeoutMs?: number;
  sweeper?: { schedule: Schedule; ttlMs: number };
  /** Failed runs' screenshots and traces (the browser executor writes them to incomingDir(dir)); `serve` puts them under /artifacts/. */
  artifacts?: ArtifactSettings & { serve: boolean };
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
  /** How to remove identities a run's cleanup left behind (`onramp sweep ...`), after their list. */
  sweepHint?: string;
  /** Where the status page points for a failure's log lines (the target's logs settings). */
  logs?: LogLinks;
}

export interface RunningMonitor {
  url: string;
  metrics: MonitorMetrics;
  scheduler: Scheduler;
  /** The history as the monitor writes it: buffered while the store is away. */
  history: BufferedHistory;
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
  // The history store may go away (a database restart, a network cut): runs go on, their records
  // wait in a bounded buffer and are written when it is back. Only the store's owner closes it.
  const history = new BufferedHistory(o.store, {
    limit: s.historyBufferSize ?? 1_000,
    log,
    onDrop: (n) => metrics.historyDropped.inc(n),
    onChange: (h) => {
      metrics.historyUp.set(h.state === 'ok' ? 1 : 0);
      metrics.historyBuffered.set(h.buffered);
    },
  });
  const claim = o.claim && degradingClaim(o.claim, s.claimTimeoutMs ?? 3_000, metrics, log);
  const artifacts = s.artifacts && (await ArtifactStore.open(s.artifacts, (bytes) => metrics.artifactsBytes.set(bytes)));
  // The artifact sink goes before the history sink: it rewrites the paths the records keep.
  const sinks = () => [metricsSink(metrics), ...(artifacts ? [artifactSink(artifacts)] : []), historySink(history, location)];
  const target = targetInfo(o.target);
  metrics.describe(buildInfo(o.journeys.map((j) => j.journey)), target);
  metrics.scheduled(o.journeys.map((j) => j.journey.id));

  const jobs: ScheduledJob[] = o.journeys.map(({ journey, schedule, jitterMs }) => {
    metrics.interval.set({ journey: journey.id }, nominalIntervalMs(schedule) / 1000);
    return {
      id: journey.id,
      schedule,
      jitterMs,
      browser: usesBrowser(journey),
      async run(signal) {
        // No graceMs: an interrupted run's cleanup gets the budget of its steps' own timeouts
        // (cleanupBudgetMs), as in `onramp run`, never a fixed figure that cuts a slow cleanup short.
        const run = await runJourneys({
          journeys: [journey],
          target: o.target,
          executors: o.executors,
          signal,
          journeyTimeoutMs: s.runTimeoutMs,
          meta: o.meta,
          reporter: fanOut(sinks(), onReporterError),
        });
        if (run.leftovers?.length) log([leftoversHeading(`onramp monitor: ${journey.id} run ${run.runId}`, run.leftovers), ...describeLeftovers(run.leftovers), ...(o.sweepHint ? [o.sweepHint] : [])].join('\n'));
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
    claim: claim?.claim,
    onSkip: (id) => metrics.skippedTicks.inc({ journey: id }),
    onError: (id, err) => log(`onramp monitor: ${id}: ${(err as Error).message}`),
  });
  const server = await startServer(
    {
      metrics,
      store: history,
      history,
      claims: () => claim?.health(),
      journeys: o.journeys.map(({ journey, schedule }) => ({ id: journey.id, title: journey.title, schedule: schedule.text })),
      target: { name: target.target, apiUrl: target.api_url, embedded: isEmbeddedSandbox(o.target) },
      isRunning: () => scheduler.running,
      busy: () => scheduler.busy,
      location: s.location,
      refreshSeconds: 5,
      ...(artifacts && s.artifacts?.serve ? { artifacts } : {}),
      logs: o.logs,
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
    history,
    stop: () =>
      (stopping ??= (async () => {
        await scheduler.stop(s.graceMs);
        await history.drain();
        await server.close();
      })()),
  };
}

/**
 * Tick claims that degrade instead of stopping the canary. Replicas claim each tick in the history
 * database; when this replica cannot reach it (an error, or no answer within `timeoutMs`), it runs
 * the tick itself, counted in onramp_scheduler_unclaimed_ticks_total. During such an outage two
 * replicas may run the same tick: a duplicate run costs the target one more synthetic journey (each
 * run has its own identities, so duplicates do not collide), while a tick nobody runs is a canary
 * that is blind exactly when something is wrong. The first claim that works again ends the outage.
 */
export function degradingClaim(claim: ClaimTick, timeoutMs: number, metrics: MonitorMetrics, log: (line: string) => void): { claim: ClaimTick; health(): { state: 'ok' | 'local'; reason?: string; since?: string } } {
  let failing: { reason: string; since: Date; ticks: number } | undefined;
  return {
    health: () => (failing ? { state: 'local', reason: failing.reason, since: failing.since.toISOString() } : { state: 'ok' }),
    async claim(jobId, tickAt) {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      try {
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
        const mine = claim(jobId, tickAt);
        // A claim that answers after the timeout is not used: a lease it took is let go at once.
        mine.then(
          (late) => void (timedOut && typeof late === 'object' && late.release().catch(() => undefined)),
          () => undefined,
        );
        const won = await Promise.race([mine, timeout]);
        if (failing) log(`onramp monitor: tick claims work again after ${Math.round((Date.now() - failing.since.getTime()) / 1000)} s; ${failing.ticks} ticks ran unclaimed`);
        failing = undefined;
        return won;
      } catch (err) {
        timedOut = true;
        const reason = (err as Error)?.message || String(err);
        if (!failing) {
          failing = { reason, since: new Date(), ticks: 0 };
          log(`onramp monitor: cannot claim ticks (${reason}): running them here without a claim until the database is back; other replicas may run the same ticks`);
        }
        failing.reason = reason;
        failing.ticks++;
        if (!jobId.startsWith('_')) metrics.unclaimedTicks.inc({ journey: jobId });
        return true;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
