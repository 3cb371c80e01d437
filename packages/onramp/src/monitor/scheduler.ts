// The scheduler: fires each journey's ticks (interval or cron, with jitter), never overlaps a journey
// with itself (a tick that finds it still running, here or, through the claim's lease, in another
// replica, is skipped and counted), lets one replica claim each tick, and keeps runs within the
// limiter's slots. Stopping ends the ticks, lets in-flight runs finish within a grace period, then
// interrupts them (their cleanup still runs, in the runner).
import { setMaxListeners } from 'node:events';
import cron, { type ScheduledTask } from 'node-cron';
import type { JourneyDefinition } from '../engine/journey.ts';
import type { RunError } from '../engine/results.ts';
import { RunLimiter } from './limiter.ts';
import { jitterFor, nextIntervalTick, type Schedule } from './schedule.ts';

export interface ScheduledJob {
  /** A journey id, or a housekeeping job such as the sweeper. */
  id: string;
  schedule: Schedule;
  jitterMs: number;
  /** Counts against the lower browser limit. */
  browser: boolean;
  /** Housekeeping jobs do not take a run slot. */
  unlimited?: boolean;
  run(signal: AbortSignal): Promise<void>;
}

/**
 * A replica's answer for one tick: true, this replica runs it; false, another replica has it; 'busy',
 * a run of the job is still in flight in another replica (skipped and counted, as a local overlap
 * is); a lease, this replica runs it and releases the lease when the run is over.
 */
export type TickClaim = boolean | 'busy' | { release(): Promise<void> };

/** Decides which replica runs a tick; without one, every tick is this process's. */
export type ClaimTick = (jobId: string, tickAt: Date) => Promise<TickClaim>;

export interface SchedulerOptions {
  jobs: ScheduledJob[];
  concurrency: number;
  browserConcurrency: number;
  /** Makes jitter differ per location, as each location runs its own schedule. */
  location?: string;
  claim?: ClaimTick;
  onSkip?(jobId: string): void;
  onError?(jobId: string, err: unknown): void;
}

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #limiter: RunLimiter;
  readonly #running = new Map<string, Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #tasks: ScheduledTask[] = [];
  readonly #stop = new AbortController();
  #started = false;

  constructor(o: SchedulerOptions) {
    this.#o = o;
    this.#limiter = new RunLimiter(o.concurrency, o.browserConcurrency);
    // Every run in flight, and every step of it, listens on the one stop signal.
    setMaxListeners(0, this.#stop.signal);
  }

  get running(): boolean {
    return this.#started && !this.#stop.signal.aborted;
  }

  /** Jobs with a run in flight. */
  get busy(): string[] {
    return [...this.#running.keys()];
  }

  start(): void {
    this.#started = true;
    for (const job of this.#o.jobs) {
      const jitter = jitterFor(`${this.#o.location ?? ''}/${job.id}`, job.jitterMs);
      if (job.schedule.kind === 'interval') this.#every(job, job.schedule.everyMs, jitter);
      else {
        const task = cron.schedule(job.schedule.expression, (ctx) => this.#later(jitter, () => this.tick(job, ctx.date)), { name: job.id });
        this.#tasks.push(task);
      }
    }
  }

  /** One tick of a job, as its schedule fires it (exported for tests that drive ticks by hand). */
  tick(job: ScheduledJob, tickAt: Date): Promise<void> {
    if (this.#stop.signal.aborted) return Promise.resolve();
    if (this.#running.has(job.id)) {
      this.#o.onSkip?.(job.id);
      return Promise.resolve();
    }
    const go = (async () => {
      try {
        const claim = this.#o.claim ? await this.#o.claim(job.id, tickAt) : true;
        if (claim === 'busy') this.#o.onSkip?.(job.id);
        if (claim === 'busy' || !claim) return;
        try {
          const release = job.unlimited ? () => undefined : await this.#limiter.acquire(job.browser);
          try {
            if (!this.#stop.signal.aborted) await job.run(this.#stop.signal);
          } finally {
            release();
          }
        } finally {
          if (typeof claim === 'object') await claim.release();
        }
      } catch (err) {
        this.#o.onError?.(job.id, err);
      } finally {
        this.#running.delete(job.id);
      }
    })();
    this.#running.set(job.id, go);
    return go;
  }

  /**
   * No more ticks; in-flight runs get `graceMs` to finish, then the stop signal interrupts them (the
   * runner still gives their cleanup steps its own grace period). Resolves when all have ended.
   */
  async stop(graceMs: number): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const task of this.#tasks.splice(0)) await task.destroy();
    const all = Promise.all(this.#running.values());
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([all, graceOver]);
    clearTimeout(timer);
    this.#stop.abort({ code: 'monitor_stopping', message: 'the monitor is shutting down (SIGTERM/SIGINT)' } satisfies RunError);
    await all;
  }

  #every(job: ScheduledJob, everyMs: number, jitter: number, previous = 0): void {
    // From the previous tick too: a timer that fires a millisecond early must not repeat its tick.
    const tickAt = nextIntervalTick(everyMs, Math.max(Date.now(), previous));
    this.#later(tickAt + jitter - Date.now(), () => {
      void this.tick(job, new Date(tickAt));
      if (!this.#stop.signal.aborted) this.#every(job, everyMs, jitter, tickAt);
    });
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.#timers.add(t);
  }
}

/** Whether a journey drives a browser, so it counts against the lower browser limit. */
export const usesBrowser = (j: JourneyDefinition) => j.steps.some((s) => (s.kind as string) === 'browser');
