// The monitor's metrics (prom-client), written into a registry passed in. Labels stay bounded:
// journey, step (its stable id), outcome, code (a row of the failure catalogue), reason (why a step
// was skipped), schema, state and the registry-wide location. A correlation id is never a label of
// a counter or histogram: it rides on exemplars, and on the one "last failure" series per journey
// that alerts and tables read it from.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric, type OpenMetricsContentType } from 'prom-client';
import type { StepFailureCode } from '../failures/catalog.ts';
import type { BuildInfo, TargetInfo } from './build-info.ts';

export const OPENMETRICS = Registry.OPENMETRICS_CONTENT_TYPE;
export const PLAIN_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

export type Outcome = 'passed' | 'failed' | 'flaky' | 'error' | 'skipped';

// Few buckets: with 50 journeys x 10 steps each bucket is 500 series. Steps take 50 ms to 30 s
// (a step timeout), journeys up to their 2 min budget.
const STEP_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOURNEY_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface MetricsOptions {
  /** A label on every series, so locations scraped into one Prometheus are told apart. */
  location?: string;
  /** Process metrics (CPU, memory, event loop); off in golden tests, whose text must not vary. */
  processMetrics?: boolean;
}

export class MonitorMetrics {
  /** onramp's own metrics. OpenMetrics: the only format prom-client writes exemplars in. */
  readonly registry = new Registry<OpenMetricsContentType>();
  /** Process metrics (memory, CPU, event loop): collected at every scrape. */
  readonly processRegistry = new Registry<OpenMetricsContentType>();
  // The same metrics in the Prometheus text format, for scrapers that do not ask for OpenMetrics.
  readonly #plain = new Registry();
  readonly #processPlain = new Registry();
  // onramp's metrics change only when a run ends, a tick is skipped or the sweeper reports: their
  // text (hundreds of series with 50 journeys x 10 steps) is rendered once per change, not per scrape.
  #dirty = true;
  #cache: { open?: Buffer; plain?: Buffer } = {};

  readonly runs: Counter<'journey' | 'outcome'>;
  readonly up: Gauge<'journey'>;
  readonly journeyDuration: Histogram<'journey'>;
  readonly lastRun: Gauge<'journey'>;
  readonly consecutiveFailures: Gauge<'journey'>;
  readonly interval: Gauge<'journey'>;
  readonly stepDuration: Histogram<'journey' | 'step'>;
  readonly stepFailures: Counter<'journey' | 'step' | 'code'>;
  readonly stepFlaky: Counter<'journey' | 'step' | 'code'>;
  readonly stepSkips: Counter<'journey' | 'step' | 'reason'>;
  readonly violations: Counter<'journey' | 'step' | 'schema'>;
  readonly lastFailure: Gauge<'journey' | 'step' | 'code' | 'correlation_id'>;
  readonly identities: Gauge<'state'>;
  readonly skippedTicks: Counter<'journey'>;
  readonly sweeps: Counter<'outcome'>;
  readonly historyUp: Gauge;
  readonly historyBuffered: Gauge;
  readonly historyDropped: Counter;
  readonly unclaimedTicks: Counter<'journey'>;
  readonly artifactsBytes: Gauge;
  readonly buildInfo: Gauge<keyof BuildInfo>;
  readonly targetInfo: Gauge<keyof TargetInfo>;
  /** The label set of each journey's current last-failure series, so it can be replaced or removed. */
  readonly #lastFailureLabels = new Map<string, Record<string, string>>();

  constructor(o: MetricsOptions = {}) {
    this.registry.setContentType(OPENMETRICS);
    this.processRegistry.setContentType(OPENMETRICS);
    const registers = [this.registry];
    this.runs = new Counter({ name: 'onramp_journey_runs_total', help: 'Journey runs by outcome (passed, failed, flaky, error, skipped).', labelNames: ['journey', 'outcome'], registers });
    this.up = new Gauge({ name: 'onramp_journey_up', help: '1 when the journey\'s last run passed (also when only on retry), 0 when it failed, NaN before its first run.', labelNames: ['journey'], registers });
    this.journeyDuration = new Histogram({ name: 'onramp_journey_duration_seconds', help: 'Duration of journey runs.', labelNames: ['journey'], buckets: JOURNEY_BUCKETS, registers, enableExemplars: true });
    this.lastRun = new Gauge({ name: 'onramp_journey_last_run_timestamp_seconds', help: 'When the journey\'s last run ended (Unix time).', labelNames: ['journey'], registers });
    this.consecutiveFailures = new Gauge({ name: 'onramp_journey_consecutive_failures', help: 'Runs in a row that failed or errored (0 after a pass).', labelNames: ['journey'], registers });
    this.interval = new Gauge({ name: 'onramp_journey_interval_seconds', help: 'The journey\'s nominal schedule interval, for staleness alerts.', labelNames: ['journey'], registers });
    this.stepDuration = new Histogram({ name: 'onramp_step_duration_seconds', help: 'Duration of journey steps; exemplars carry the correlation id and run id.', labelNames: ['journey', 'step'], buckets: STEP_BUCKETS, registers, enableExemplars: true });
    this.stepFailures = new Counter({ name: 'onramp_step_failures_total', help: 'Failed steps by failure code; exemplars carry the correlation id and run id.', labelNames: ['journey', 'step', 'code'], registers, enableExemplars: true });
    this.stepFlaky = new Counter({ name: 'onramp_step_flaky_total', help: 'Steps that passed only on a retried request (a 429 or 503 with Retry-After), by failure code (rate_limited); exemplars carry the correlation id and run id.', labelNames: ['journey', 'step', 'code'], registers, enableExemplars: true });
    this.stepSkips = new Counter({ name: 'onramp_step_skipped_total', help: 'Skipped steps by reason (unavailable: the target lacks what the check needs, e.g. no database; earlier_failure, condition, interrupted, kept, no_executor).', labelNames: ['journey', 'step', 'reason'], registers });
    this.violations = new Counter({ name: 'onramp_contract_violations_total', help: 'Contract violations found in responses, by schema.', labelNames: ['journey', 'step', 'schema'], registers });
    this.lastFailure = new Gauge({ name: 'onramp_last_failure_info', help: 'The last failure of a journey (one series per journey, removed on recovery).', labelNames: ['journey', 'step', 'code', 'correlation_id'], registers });
    this.identities = new Gauge({ name: 'onramp_synthetic_identities', help: 'Synthetic identities on the target at the last sweep: active (younger than the TTL) and leaked (older).', labelNames: ['state'], registers });
    this.skippedTicks = new Counter({ name: 'onramp_scheduler_skipped_ticks_total', help: 'Scheduled ticks skipped because a run of the journey was still going, in this replica or (its lease) in another.', labelNames: ['journey'], registers });
    this.sweeps = new Counter({ name: 'onramp_sweeps_total', help: 'Sweeper runs by outcome (ok, error).', labelNames: ['outcome'], registers });
    this.historyUp = new Gauge({ name: 'onramp_history_store_up', help: '1 when the run history store answered its last write or ping, 0 while runs are buffered for it.', registers });
    this.historyBuffered = new Gauge({ name: 'onramp_history_buffered_runs', help: 'Runs waiting in memory to be written to the history store (bounded by monitor.history_buffer).', registers });
    this.historyDropped = new Counter({ name: 'onramp_history_dropped_total', help: 'Runs never written to the history store because the buffer was full while it was away.', registers });
    this.unclaimedTicks = new Counter({ name: 'onramp_scheduler_unclaimed_ticks_total', help: 'Ticks run without a replica claim because the claim store was unreachable (other replicas may have run them too).', labelNames: ['journey'], registers });
    this.artifactsBytes = new Gauge({ name: 'onramp_artifacts_bytes', help: 'Bytes of failed runs\' screenshots and traces kept on disk (bounded by monitor.artifacts.max_bytes).', registers });
    this.buildInfo = new Gauge({ name: 'onramp_build_info', help: 'Always 1: the onramp version, the Node.js version and a hash of the monitored journeys and their step ids.', labelNames: ['version', 'node', 'journeys_hash'], registers });
    this.targetInfo = new Gauge({ name: 'onramp_target_info', help: 'Always 1: the target the journeys run against, its API URL, and sandbox="true" when it is a sandbox rather than the platform.', labelNames: ['target', 'api_url', 'sandbox'], registers });
    this.historyUp.set(1);
    if (o.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.processRegistry, prefix: 'onramp_' });
      // prom-client's handle/request/resource counts are gauges named `_total`, which promtool's
      // lint rejects; their per-type siblings (without the suffix) stay.
      for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) this.processRegistry.removeSingleMetric(`onramp_nodejs_${name}`);
    }
    for (const [open, plain] of [[this.registry, this.#plain], [this.processRegistry, this.#processPlain]] as const) {
      if (o.location) {
        open.setDefaultLabels({ location: o.location });
        plain.setDefaultLabels({ location: o.location });
      }
      for (const m of open.getMetricsAsArray()) plain.registerMetric(plainView(m as unknown as Metric));
    }
    for (const m of this.registry.getMetricsAsArray()) markOnWrite(m, () => (this.#dirty = true));
  }

  /** The exposition the scraper asked for: OpenMetrics (with exemplars) when its Accept names it. */
  async expose(accept: string | undefined): Promise<{ contentType: string; body: string }> {
    const { contentType, parts } = await this.exposeParts(accept);
    return { contentType, body: parts.join('') };
  }

  /**
   * The exposition in parts to write one after the other: onramp's metrics as cached bytes (no
   * per-scrape copy of a text that can run to hundreds of KiB), then the process metrics.
   */
  async exposeParts(accept: string | undefined): Promise<{ contentType: string; parts: (Buffer | string)[] }> {
    const open = !!accept?.includes('application/openmetrics-text');
    if (this.#dirty) {
      this.#dirty = false;
      this.#cache = {};
    }
    // A write during the render marks the text dirty again, so the next scrape renders afresh.
    const cache = this.#cache;
    const hasProcess = this.processRegistry.getMetricsAsArray().length > 0;
    if (!open) {
      const own = (cache.plain ??= Buffer.from(await this.#plain.metrics()));
      return { contentType: PLAIN_TEXT, parts: hasProcess ? [own, '\n', await this.#processPlain.metrics()] : [own] };
    }
    // One `# EOF` ends an OpenMetrics exposition: the own part's goes when the process part follows.
    if (!cache.open) {
      const text = await this.registry.metrics();
      cache.open = Buffer.from(hasProcess ? text.replace(/# EOF\n$/, '') : text);
    }
    const own = cache.open;
    return { contentType: OPENMETRICS, parts: hasProcess ? [own, await this.processRegistry.metrics()] : [own] };
  }

  /** Which onramp, with which journeys, against which target: one series each, value 1. */
  describe(build: BuildInfo, target: TargetInfo): void {
    this.buildInfo.reset();
    this.buildInfo.set({ ...build }, 1);
    this.targetInfo.reset();
    this.targetInfo.set({ ...target }, 1);
  }

  /**
   * Every scheduled journey has an onramp_journey_up series from the first scrape: NaN until its
   * first run ends. Not 0: a monitor that just started has seen nothing fail, and every deploy would
   * fire "journey down"; not absent: a journey that never reports would then look like one nobody
   * scheduled. NaN matches neither `== 0` nor `== 1`; the staleness alert covers a journey that
   * never runs.
   */
  scheduled(journeys: string[]): void {
    for (const journey of journeys) this.up.set({ journey }, Number.NaN);
  }

  /** Replaces the journey's last-failure series (one per journey). */
  setLastFailure(journey: string, step: string, code: StepFailureCode, correlationId: string | undefined): void {
    this.clearLastFailure(journey);
    const labels = { journey, step, code, correlation_id: correlationId ?? '' };
    this.lastFailure.set(labels, 1);
    this.#lastFailureLabels.set(journey, labels);
  }

  clearLastFailure(journey: string): void {
    const old = this.#lastFailureLabels.get(journey);
    if (old) this.lastFailure.remove(old);
    this.#lastFailureLabels.delete(journey);
  }
}

/** Calls `onWrite` whenever the metric's value changes, so a cached exposition knows it is stale. */
function markOnWrite(m: unknown, onWrite: () => void): void {
  const metric = m as Record<string, unknown>;
  for (const method of ['inc', 'dec', 'set', 'observe', 'remove', 'reset', 'zero']) {
    const original = metric[method];
    if (typeof original !== 'function') continue;
    metric[method] = function (this: unknown, ...args: unknown[]) {
      onWrite();
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
}

// An OpenMetrics registry renames counters in place (`x_total` becomes `x`, its samples get the
// suffix back); the plain registry shows each metric through a view that restores the name.
function plainView(m: Metric): Metric {
  type Got = { name: string };
  const source = m as unknown as { type: string; get(): Promise<Got> };
  const view = Object.create(m) as { get(): Promise<Got> };
  view.get = async () => {
    const got = await source.get();
    return source.type === 'counter' && !got.name.endsWith('_total') ? { ...got, name: `${got.name}_total` } : got;
  };
  return view as unknown as Metric;
}
