// How many journey runs go at once: a global limit, and a lower one for journeys that drive a
// browser (each holds a browser context and its memory). A freed slot is handed straight to a
// waiter, so a newcomer cannot slip in between.
export class RunLimiter {
  #running = 0;
  #browsers = 0;
  readonly #waiting: { browser: boolean; go: () => void }[] = [];

  constructor(
    readonly limit: number,
    readonly browserLimit: number,
  ) {}

  /** Resolves with a release function once a slot is taken. */
  async acquire(browser: boolean): Promise<() => void> {
    if (this.#fits(browser) && !this.#waiting.length) this.#take(browser);
    else await new Promise<void>((go) => this.#waiting.push({ browser, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      if (browser) this.#browsers--;
      this.#handOver();
    };
  }

  get running(): number {
    return this.#running;
  }

  #fits(browser: boolean): boolean {
    return this.#running < this.limit && (!browser || this.#browsers < this.browserLimit);
  }

  #take(browser: boolean): void {
    this.#running++;
    if (browser) this.#browsers++;
  }

  #handOver(): void {
    // A browser run waiting for a browser slot must not hold back a plain run queued behind it.
    for (let i = 0; i < this.#waiting.length; ) {
      const w = this.#waiting[i]!;
      if (!this.#fits(w.browser)) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#take(w.browser);
      w.go();
    }
  }
}
