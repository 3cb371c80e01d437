// The config file's `monitor:` section mapped to the monitor's settings: durations parsed within
// their bounds, schedules checked (interval or node-cron expression), the database URL resolved as a
// secret by the caller.
import cron from 'node-cron';
import { parseDuration } from '../engine/sweep.ts';
import type { Secret } from '../engine/secret.ts';
import { boundedDuration, DURATION_BOUNDS, type DurationBounds } from './durations.ts';

export interface MonitorJourneyConfig {
  schedule?: string;
  jitterMs?: number;
  enabled?: boolean;
}

export interface MonitorConfig {
  schedule?: string;
  jitterMs?: number;
  concurrency?: number;
  browserConcurrency?: number;
  runTimeoutMs?: number;
  graceMs?: number;
  location?: string;
  databaseUrl?: Secret;
  retentionMs?: number;
  historySize?: number;
  /** Runs buffered while the history database is unreachable. */
  historyBuffer?: number;
  sweeper?: { enabled?: boolean; schedule?: string; ttlMs?: number };
  artifacts?: MonitorArtifactsConfig;
  journeys: Record<string, MonitorJourneyConfig>;
}

/** Failed runs' screenshots and traces: where, how many runs per journey, how many bytes overall, served or not. */
export interface MonitorArtifactsConfig {
  /** Absolute (resolved against the config file's folder). */
  dir?: string;
  keepFailedRuns?: number;
  maxBytes?: number;
  serve?: boolean;
}

export interface RawMonitor {
  schedule?: string;
  jitter?: string;
  concurrency?: number;
  browser_concurrency?: number;
  run_timeout?: string;
  grace?: string;
  location?: string;
  database_url?: { env: string } | { file: string };
  retention?: string;
  history_size?: number;
  history_buffer?: number;
  sweeper?: { enabled?: boolean; schedule?: string; ttl?: string };
  artifacts?: { dir?: string; keep_failed_runs?: number; max_bytes?: number; serve?: boolean };
  journeys?: Record<string, { schedule?: string; jitter?: string; enabled?: boolean }>;
}

/** The longest interval: a day. Above it, Node's 32-bit timers would overflow and fire at once. */
export const MAX_INTERVAL_MS = 24 * 3_600_000;

/** A schedule is an interval (`30s`) or a cron expression; anything else is named as a problem. */
export function scheduleProblem(text: string): string | undefined {
  const ms = parseDuration(text);
  if (ms !== undefined) {
    if (ms < 1_000) return `an interval must be at least 1s, got "${text}"`;
    return ms > MAX_INTERVAL_MS ? `an interval must be at most 24h, got "${text}" (use a cron expression for rarer runs)` : undefined;
  }
  return cron.validate(text) ? undefined : `"${text}" is neither an interval (30s, 5m) nor a cron expression (node-cron, e.g. "*/5 * * * *")`;
}

/** Maps the raw section; `problems` collects every bad schedule and out-of-bounds duration by its path; `rel` resolves a path against the config file's folder. */
export function mapMonitor(raw: RawMonitor, databaseUrl: Secret | undefined, problems: string[], rel: (p: string | undefined) => string | undefined = (p) => p): MonitorConfig {
  const ms = (t: string | undefined, at: string, bounds: DurationBounds) => boundedDuration(at, t, bounds, problems);
  const checkSchedule = (t: string | undefined, at: string) => {
    const p = t === undefined ? undefined : scheduleProblem(t);
    if (p) problems.push(`${at}: ${p}`);
  };
  checkSchedule(raw.schedule, 'monitor.schedule');
  checkSchedule(raw.sweeper?.schedule, 'monitor.sweeper.schedule');
  const journeys: Record<string, MonitorJourneyConfig> = {};
  for (const [id, j] of Object.entries(raw.journeys ?? {})) {
    checkSchedule(j.schedule, `monitor.journeys.${id}.schedule`);
    journeys[id] = { schedule: j.schedule, jitterMs: ms(j.jitter, `monitor.journeys.${id}.jitter`, DURATION_BOUNDS.jitter), enabled: j.enabled };
  }
  return {
    schedule: raw.schedule,
    jitterMs: ms(raw.jitter, 'monitor.jitter', DURATION_BOUNDS.jitter),
    concurrency: raw.concurrency,
    browserConcurrency: raw.browser_concurrency,
    runTimeoutMs: ms(raw.run_timeout, 'monitor.run_timeout', DURATION_BOUNDS.runTimeout),
    graceMs: ms(raw.grace, 'monitor.grace', DURATION_BOUNDS.grace),
    location: raw.location,
    databaseUrl,
    retentionMs: ms(raw.retention, 'monitor.retention', DURATION_BOUNDS.retention),
    historySize: raw.history_size,
    historyBuffer: raw.history_buffer,
    sweeper: raw.sweeper && { enabled: raw.sweeper.enabled, schedule: raw.sweeper.schedule, ttlMs: ms(raw.sweeper.ttl, 'monitor.sweeper.ttl', DURATION_BOUNDS.ttl) },
    artifacts: raw.artifacts && { dir: rel(raw.artifacts.dir), keepFailedRuns: raw.artifacts.keep_failed_runs, maxBytes: raw.artifacts.max_bytes, serve: raw.artifacts.serve },
    journeys,
  };
}
