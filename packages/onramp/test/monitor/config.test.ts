// The config's monitor section: durations parsed, schedules checked (interval or cron) and named by
// path, the database URL a secret resolved like every other.
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.ts';
import { TARGET_ENV, TARGET_YAML, useConfigDir } from '../config/config-fixture.ts';

const configs = useConfigDir('onramp-monitor-config-');
const ENV = { ...TARGET_ENV, MONITOR_DB: 'postgres://onramp:db-password@db:5432/onramp' };
const load = (monitor: string) => configs.load(`${TARGET_YAML}${monitor}`, ENV);

describe('monitor section', () => {
  it('maps every setting', async () => {
    const c = await load(`monitor:
  schedule: 1m
  jitter: 20s
  concurrency: 6
  browser_concurrency: 2
  run_timeout: 90s
  grace: 10s
  location: eu-west
  database_url: { env: MONITOR_DB }
  retention: 14d
  history_size: 50
  history_buffer: 200
  sweeper: { schedule: "*/15 * * * *", ttl: 6h }
  artifacts: { dir: kept/artifacts, keep_failed_runs: 5, max_bytes: 1000000, serve: false }
  journeys:
    identity-drift: { schedule: "*/5 * * * *", jitter: 30s }
    project-scope: { enabled: false }
`);
    const { databaseUrl, ...rest } = c.monitor!;
    expect(rest).toEqual({
      schedule: '1m', jitterMs: 20_000, concurrency: 6, browserConcurrency: 2, runTimeoutMs: 90_000, graceMs: 10_000, location: 'eu-west', retentionMs: 14 * 86_400_000, historySize: 50, historyBuffer: 200,
      sweeper: { enabled: undefined, schedule: '*/15 * * * *', ttlMs: 6 * 3_600_000 },
      // A relative dir is the config file's folder's.
      artifacts: { dir: join(dirname(c.file), 'kept/artifacts'), keepFailedRuns: 5, maxBytes: 1_000_000, serve: false },
      journeys: { 'identity-drift': { schedule: '*/5 * * * *', jitterMs: 30_000, enabled: undefined }, 'project-scope': { schedule: undefined, jitterMs: undefined, enabled: false } },
    });
    expect(databaseUrl?.reveal()).toBe(ENV.MONITOR_DB);
    expect(inspect(c.monitor)).not.toContain('db-password');
  });

  it('names every bad setting by its path at once', async () => {
    const err = await load(`monitor:
  schedule: sometimes
  jitter: 5 seconds
  concurrency: 0
  location: EU West
  artifacts: { keep_failed_runs: -1, max_bytes: 1.5, serve: "yes", dirr: x }
  sweeper: { schedule: "99 * * * *" }
  journeys:
    a: { schedule: 100ms }
`).catch((e: ConfigError) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^monitor\.jitter: must match pattern/),
      'monitor.concurrency: must be >= 1',
      expect.stringMatching(/^monitor\.location: must match pattern/),
      'monitor.artifacts.keep_failed_runs: must be >= 0',
      'monitor.artifacts.max_bytes: must be integer',
      'monitor.artifacts.serve: must be boolean',
      'monitor.artifacts.dirr: unknown field',
    ]));
  });

  it('names bad schedules once the shape is right', async () => {
    const err = await load(`monitor:
  schedule: sometimes
  sweeper: { schedule: "99 * * * *" }
  journeys:
    a: { schedule: 100ms }
`).catch((e: ConfigError) => e);
    expect((err as ConfigError).problems).toEqual([
      'monitor.schedule: "sometimes" is neither an interval (30s, 5m) nor a cron expression (node-cron, e.g. "*/5 * * * *")',
      'monitor.sweeper.schedule: "99 * * * *" is neither an interval (30s, 5m) nor a cron expression (node-cron, e.g. "*/5 * * * *")',
      'monitor.journeys.a.schedule: an interval must be at least 1s, got "100ms"',
    ]);
  });
});
