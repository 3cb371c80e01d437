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

  // Each bound keeps a value from a Node timer (past 2^31-1 ms it fires at once) or a date computation.
  it.each([
    ['jitter', 'jitter: 61m', 'monitor.jitter: expected a duration from 0s to 1h, got "61m"'],
    ['a journey jitter', 'journeys:\n    identity-drift: { jitter: 9999999999h }', 'monitor.journeys.identity-drift.jitter: expected a duration from 0s to 1h, got "9999999999h"'],
    ['run_timeout above', 'run_timeout: 30d', 'monitor.run_timeout: expected a duration from 1s to 1h, got "30d"'],
    ['run_timeout below', 'run_timeout: 500ms', 'monitor.run_timeout: expected a duration from 1s to 1h, got "500ms"'],
    ['grace', 'grace: 2h', 'monitor.grace: expected a duration from 0s to 1h, got "2h"'],
    ['retention above', 'retention: 366d', 'monitor.retention: expected a duration from 1h to 365d, got "366d"'],
    ['retention below', 'retention: 10m', 'monitor.retention: expected a duration from 1h to 365d, got "10m"'],
    ['sweeper ttl', 'sweeper: { ttl: 99999999999999999999d }', 'monitor.sweeper.ttl: expected a duration from 0s to 365d, got "99999999999999999999d"'],
  ])('names %s out of its bounds by its path', async (_, yaml, problem) => {
    const err = await load(`monitor:\n  ${yaml}\n`).catch((e: ConfigError) => e);
    expect((err as ConfigError).problems).toEqual([problem]);
  });

  it('takes every duration at its bounds', async () => {
    const c = await load('monitor:\n  jitter: 1h\n  run_timeout: 1s\n  grace: 0s\n  retention: 365d\n  sweeper: { ttl: 0s }\n');
    expect(c.monitor).toMatchObject({ jitterMs: 3_600_000, runTimeoutMs: 1_000, graceMs: 0, retentionMs: 365 * 86_400_000, sweeper: { ttlMs: 0 } });
  });
});
