// A history store that outlives its database: records that cannot be written (the store is down,
// restarting, unreachable) wait in a bounded buffer, oldest first, and are written in order when the
// store answers again (on the next write, or on a retry timer). What does not fit the buffer is
// dropped from the oldest end and counted. Journeys keep running and metrics keep updating
// throughout: the history is the only thing that waits.
import { countUptime, type HistoryStore, type RunQuery, type RunRecord, type UptimeCount } from './history.ts';

export interface HistoryHealth {
  /** `degraded`: the store did not answer its last write or ping; records are being buffered. */
  state: 'ok' | 'degraded';
  /** Why, as the store said it (the driver's message). */
  reason?: string;
  /** Since when the store has been failing (ISO time). */
  since?: string;
  /** Records waiting to be written. */
  buffered: number;
  /** Records dropped so far because the buffer was full. */
  dropped: number;
}

export interface BufferedHistoryOptions {
  /** Records kept while the store is away (default 1,000); older ones are dropped beyond it. */
  limit?: number;
  /** How often a degraded store is retried when no new run writes to it (default 2 s). */
  retryMs?: number;
  /** A write or ping slower than this counts as a failure (default 5 s): a black-holed database must not stall a run's end. */
  timeoutMs?: number;
  /** Called when records had to be dropped (n at a time). */
  onDrop?(n: number): void;
  /** Called whenever the number of buffered records or the state changes. */
  onChange?(health: HistoryHealth): void;
  log?(line: string): void;
}

export class BufferedHistory implements HistoryStore {
  readonly kind: HistoryStore['kind'];
  readonly #store: HistoryStore;
  readonly #o: Required<Omit<BufferedHistoryOptions, 'onDrop' | 'onChange' | 'log'>> & BufferedHistoryOptions;
  readonly #buffer: RunRecord[] = [];
  #dropped = 0;
  #failure?: { reason: string; since: Date };
  #flushing?: Promise<void>;
  #timer?: NodeJS.Timeout;
  #closed = false;

  constructor(store: HistoryStore, o: BufferedHistoryOptions = {}) {
    this.#store = store;
    this.kind = store.kind;
    this.#o = { limit: 1_000, retryMs: 2_000, timeoutMs: 5_000, ...o };
  }

  health(): HistoryHealth {
    return {
      state: this.#failure ? 'degraded' : 'ok',
      ...(this.#failure ? { reason: this.#failure.reason, since: this.#failure.since.toISOString() } : {}),
      buffered: this.#buffer.length,
      dropped: this.#dropped,
    };
  }

  /** Never throws for a store that is away: the record is buffered instead. */
  async add(r: RunRecord): Promise<void> {
    this.#buffer.push(r);
    const over = this.#buffer.length - this.#o.limit;
    if (over > 0) {
      this.#buffer.splice(0, over);
      this.#dropped += over;
      this.#o.onDrop?.(over);
    }
    await this.flush();
  }

  /** Writes the buffer in order; stops at the first failure (the rest waits for the next try). */
  flush(): Promise<void> {
    return (this.#flushing ??= (async () => {
      try {
        while (this.#buffer.length && !this.#closed) {
          const next = this.#buffer[0]!;
          try {
            await this.#timed(this.#store.add(next), 'write');
          } catch (err) {
            this.#fail(err);
            return;
          }
          // A record dropped while the write was under way has already left the buffer.
          if (this.#buffer[0] === next) this.#buffer.shift();
          this.#recover();
        }
        this.#recover();
      } finally {
        this.#flushing = undefined;
        this.#o.onChange?.(this.health());
      }
    })());
  }

  /** What the store has plus what waits in the buffer; the buffer alone while the store is away. */
  async list(q: RunQuery): Promise<RunRecord[]> {
    const limit = q.limit ?? 50;
    const pending = this.#buffer.filter((r) => (!q.journey || r.journey === q.journey) && (!q.outcome || r.outcome === q.outcome));
    let stored: RunRecord[] = [];
    try {
      stored = await this.#timed(this.#store.list(q), 'read');
    } catch (err) {
      this.#fail(err);
    }
    const seen = new Set(stored.map((r) => r.runId + r.journey));
    return [...stored, ...pending.filter((r) => !seen.has(r.runId + r.journey))]
      .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))
      .slice(0, limit);
  }

  /** The store's counts plus the buffered runs'; the buffer's alone while the store is away. */
  async uptime(since: string): Promise<UptimeCount[]> {
    let stored: UptimeCount[] = [];
    try {
      stored = await this.#timed(this.#store.uptime(since), 'read');
    } catch (err) {
      this.#fail(err);
    }
    const all = new Map(stored.map((c) => [c.journey, { ...c }]));
    for (const c of countUptime(this.#buffer, since)) {
      const s = all.get(c.journey);
      all.set(c.journey, s ? { journey: c.journey, runs: s.runs + c.runs, up: s.up + c.up } : c);
    }
    return [...all.values()];
  }

  /** Pings the store; a store that answers again gets the buffer written. */
  async ping(): Promise<void> {
    try {
      await this.#timed(this.#store.ping(), 'ping');
    } catch (err) {
      this.#fail(err);
      throw err;
    }
    if (this.#buffer.length) await this.flush();
    else this.#recover();
  }

  prune(olderThanMs: number): Promise<number> {
    return this.#store.prune(olderThanMs);
  }

  /**
   * On shutdown: one last try to write what is buffered, then no more retries; what could not be
   * written is named on the log. The store itself stays open (its owner closes it).
   */
  async drain(): Promise<void> {
    if (this.#closed) return;
    if (this.#buffer.length) await this.flush();
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.#buffer.length) this.#o.log?.(`onramp monitor: history store still unreachable at shutdown: ${this.#buffer.length} buffered runs not written (${this.#failure?.reason ?? 'unknown reason'})`);
  }

  async close(): Promise<void> {
    await this.drain();
    await this.#store.close();
  }

  #fail(err: unknown): void {
    const reason = (err as Error)?.message || String(err);
    if (!this.#failure) {
      this.#failure = { reason, since: new Date() };
      this.#o.log?.(`onramp monitor: history store unreachable, buffering runs (up to ${this.#o.limit}): ${reason}`);
    } else this.#failure.reason = reason;
    this.#o.onChange?.(this.health());
    if (!this.#timer && !this.#closed) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.#closed) return;
        // Retried by a ping, which writes the buffer when the store is back.
        this.ping().catch(() => undefined);
      }, this.#o.retryMs);
      this.#timer.unref();
    }
  }

  #recover(): void {
    if (!this.#failure) return;
    const down = Date.now() - this.#failure.since.getTime();
    this.#failure = undefined;
    this.#o.log?.(`onramp monitor: history store reachable again after ${Math.round(down / 1000)} s${this.#buffer.length ? `; writing ${this.#buffer.length} buffered runs` : '; buffered runs written'}`);
    this.#o.onChange?.(this.health());
  }

  #timed<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${this.#o.timeoutMs} ms`)), this.#o.timeoutMs);
    });
    p.catch(() => undefined);
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
