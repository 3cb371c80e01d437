// The scheduler's rules: a journey never overlaps itself, here or (by the claim's lease) in another
// replica (the tick is skipped and counted), runs
// stay within the global and the browser limit, stopping lets runs finish within the grace period
// and then interrupts them, interval ticks sit on the clock so replicas agree, jitter is stable.
import { describe, expect, it } from 'vitest';
import { Scheduler, usesBrowser, type ScheduledJob, type TickClaim } from '../../src/monitor/scheduler.ts';
import operatorBootstrap from '../../journeys/operator-bootstrap.journey.ts';
import switchUserLogin from '../../journeys/switch-user-login.journey.ts';
import tenantAdminBootstrap from '../../journeys/tenant-admin-bootstrap.journey.ts';
import { RunLimiter } from '../../src/monitor/limiter.ts';
import { degradingClaim } from '../../src/monitor/monitor.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { jitterFor, nextIntervalTick, nominalIntervalMs, parseSchedule } from '../../src/monitor/schedule.ts';
import { scheduleProblem } from '../../src/config/monitor.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function job(id: string, runMs: number, extra: Partial<ScheduledJob> = {}, log: string[] = []): ScheduledJob {
  return {
    id,
    schedule: parseSchedule('1h'),
    jitterMs: 0,
    browser: false,
    async run(signal) {
      log.push(`start ${id}`);
      const end = Date.now() + runMs;
      while (Date.now() < end && !signal.aborted) await sleep(5);
      log.push(`${signal.aborted ? 'interrupted' : 'end'} ${id}`);
    },
    ...extra,
  };
}

describe('scheduler', () => {
  it('skips and counts a tick that finds the journey still running', async () => {
    const skipped: string[] = [];
    const log: string[] = [];
    const a = job('a', 100, {}, log);
    const s = new Scheduler({ jobs: [a], concurrency: 4, browserConcurrency: 1, onSkip: (id) => skipped.push(id) });
    const first = s.tick(a, new Date(0));
    await s.tick(a, new Date(1000));
    await first;
    await s.tick(a, new Date(2000));
    expect(skipped).toEqual(['a']);
    expect(log).toEqual(['start a', 'end a', 'start a', 'end a']);
  });

  it('keeps runs within the global limit and the lower browser limit', async () => {
    let running = 0;
    let browsers = 0;
    let peak = 0;
    let peakBrowsers = 0;
    const mk = (id: string, browser: boolean): ScheduledJob => ({
      ...job(id, 0),
      browser,
      async run() {
        running++;
        if (browser) browsers++;
        peak = Math.max(peak, running);
        peakBrowsers = Math.max(peakBrowsers, browsers);
        await sleep(30);
        running--;
        if (browser) browsers--;
      },
    });
    const jobs = [...Array.from({ length: 6 }, (_, i) => mk(`api-${i}`, false)), ...Array.from({ length: 4 }, (_, i) => mk(`browser-${i}`, true))];
    const s = new Scheduler({ jobs, concurrency: 3, browserConcurrency: 1 });
    await Promise.all(jobs.map((j) => s.tick(j, new Date(0))));
    expect([peak, peakBrowsers]).toEqual([3, 1]);
  });

  it('on stop: no new ticks, runs that finish within the grace period finish', async () => {
    const log: string[] = [];
    const a = job('a', 50, {}, log);
    const s = new Scheduler({ jobs: [a], concurrency: 1, browserConcurrency: 1 });
    void s.tick(a, new Date(0));
    await s.stop(2_000);
    await s.tick(a, new Date(1000));
    expect(log).toEqual(['start a', 'end a']);
  });

  it('on stop: a run still going after the grace period is interrupted through its signal', async () => {
    const log: string[] = [];
    const a = job('a', 10_000, {}, log);
    const s = new Scheduler({ jobs: [a], concurrency: 1, browserConcurrency: 1 });
    void s.tick(a, new Date(0));
    const t0 = Date.now();
    await s.stop(100);
    expect(log).toEqual(['start a', 'interrupted a']);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('asks the claim before running, so only the replica that won a tick runs it', async () => {
    const log: string[] = [];
    const a = job('a', 0, {}, log);
    const claimed = new Set<number>();
    const claim = async (_: string, at: Date) => !claimed.has(at.getTime()) && !!claimed.add(at.getTime());
    const replicas = [1, 2, 3].map(() => new Scheduler({ jobs: [a], concurrency: 1, browserConcurrency: 1, claim }));
    for (const t of [0, 1000, 2000]) await Promise.all(replicas.map((r) => r.tick(a, new Date(t))));
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(3);
  });

  it("skips and counts a tick whose claim finds the job's run in flight in another replica; releases a lease after the run", async () => {
    const skipped: string[] = [];
    const log: string[] = [];
    const a = job('a', 20, {}, log);
    const answers: TickClaim[] = ['busy', false, { release: async () => void log.push('released') }];
    const s = new Scheduler({ jobs: [a], concurrency: 1, browserConcurrency: 1, claim: async () => answers.shift()!, onSkip: (id) => skipped.push(id) });
    for (const t of [0, 1000, 2000]) await s.tick(a, new Date(t));
    // 'busy' is a skip (counted); false is another replica's tick (not a skip); a lease outlives the run.
    expect(skipped).toEqual(['a']);
    expect(log).toEqual(['start a', 'end a', 'released']);
  });

  it('lets go of a lease that a slow claim took after this replica stopped waiting (and ran the tick unclaimed)', async () => {
    let released = false;
    const slow = async (): Promise<TickClaim> => {
      await sleep(200);
      return { release: async () => void (released = true) };
    };
    const { claim } = degradingClaim(slow, 50, new MonitorMetrics({ processMetrics: false }), () => undefined);
    expect(await claim('a', new Date(0))).toBe(true);
    await sleep(300);
    expect(released).toBe(true);
  });

  it('fires interval ticks on the clock', async () => {
    const ticks: number[] = [];
    const a: ScheduledJob = { ...job('a', 0), schedule: parseSchedule('1s'), run: async () => void ticks.push(Date.now()) };
    const s = new Scheduler({ jobs: [a], concurrency: 1, browserConcurrency: 1 });
    s.start();
    await sleep(3_300);
    await s.stop(1_000);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    // Each fired just after a whole second (a loaded machine may be late, never early).
    for (const t of ticks) expect(t % 1000).toBeLessThan(500);
  });
});

describe('schedules', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['*/5 * * * *', 300_000],
    ['*/10 * * * * *', 10_000],
    ['0 * * * *', 3_600_000],
  ])('%s: nominal interval %i ms', (text, ms) => expect(nominalIntervalMs(parseSchedule(text))).toBe(ms));

  it.each([
    ['30s', undefined],
    ['*/5 * * * *', undefined],
    ['500ms', 'an interval must be at least 1s, got "500ms"'],
    ['24h', undefined],
    ['25h', 'an interval must be at most 24h, got "25h" (use a cron expression for rarer runs)'],
    // Past Node's 32-bit timer limit (about 24.8 days), a timer would fire at once, every millisecond.
    ['9999999999h', 'an interval must be at most 24h, got "9999999999h" (use a cron expression for rarer runs)'],
    ['every tuesday', '"every tuesday" is neither an interval (30s, 5m) nor a cron expression (node-cron, e.g. "*/5 * * * *")'],
    ['61 * * * *', '"61 * * * *" is neither an interval (30s, 5m) nor a cron expression (node-cron, e.g. "*/5 * * * *")'],
  ])('%s: %s', (text, problem) => expect(scheduleProblem(text)).toBe(problem));

  it('puts interval ticks on multiples of the interval, the same on every replica', () => {
    expect(nextIntervalTick(5_000, 12_345)).toBe(15_000);
    expect(nextIntervalTick(5_000, 15_000)).toBe(20_000);
  });

  it('derives jitter from the journey and location: stable, bounded, spread', () => {
    expect(jitterFor('eu/a', 10_000)).toBe(jitterFor('eu/a', 10_000));
    expect(jitterFor('eu/a', 0)).toBe(0);
    const values = ['a', 'b', 'c', 'd', 'e', 'f'].map((j) => jitterFor(`eu/${j}`, 10_000));
    expect(values.every((v) => v >= 0 && v <= 10_000)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(3);
  });
});

describe('which journeys count against the browser limit', () => {
  it.each([
    { journey: operatorBootstrap, browser: true },
    { journey: switchUserLogin, browser: true },
    { journey: tenantAdminBootstrap, browser: false },
  ])('$journey.id: $browser', ({ journey, browser }) => {
    expect(usesBrowser(journey)).toBe(browser);
  });
});

describe('limiter', () => {
  it('hands a freed slot to the first waiter that fits, past a waiting browser run', async () => {
    const l = new RunLimiter(2, 1);
    const order: string[] = [];
    const b1 = await l.acquire(true);
    const p1 = await l.acquire(false);
    const waitBrowser = l.acquire(true).then((r) => (order.push('browser'), r));
    const waitPlain = l.acquire(false).then((r) => (order.push('plain'), r));
    p1();
    (await waitPlain)();
    b1();
    (await waitBrowser)();
    expect(order).toEqual(['plain', 'browser']);
    expect(l.running).toBe(0);
  });
});
