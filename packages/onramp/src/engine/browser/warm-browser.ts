// One browser per process, launched on first use and reused by every journey run; a browser that
// crashed or was closed is launched again on the next use. Concurrent first uses share one launch.
import type { Browser } from 'playwright';
import { findBrowser } from './find-browser.ts';
import { launch } from './launch.ts';

export class BrowserUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserUnavailableError';
  }
}

export interface WarmBrowserOptions {
  executablePath?: string;
  headless?: boolean;
}

export class WarmBrowser {
  #browser?: Promise<Browser>;
  launches = 0;

  constructor(private readonly o: WarmBrowserOptions = {}) {}

  /** The running browser, launched (again) if there is none. */
  get(): Promise<Browser> {
    if (!this.#browser) {
      const p = this.launchNew();
      this.#browser = p;
      p.then(
        (b) => b.on('disconnected', () => {
          if (this.#browser === p) this.#browser = undefined;
        }),
        () => {
          if (this.#browser === p) this.#browser = undefined;
        },
      );
    }
    return this.#browser;
  }

  /** A browser of its own (the caller closes it): what per-check runners do on every run. */
  async launchNew(): Promise<Browser> {
    const found = await findBrowser(this.o.executablePath, { headless: this.o.headless });
    if ('problem' in found) throw new BrowserUnavailableError(found.problem);
    this.launches++;
    try {
      return await launch({ executablePath: found.path, headless: this.o.headless });
    } catch (err) {
      throw new BrowserUnavailableError(`Chromium at ${found.path} did not start: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  async close(): Promise<void> {
    const p = this.#browser;
    this.#browser = undefined;
    const b = await p?.catch(() => undefined);
    await b?.close().catch(() => undefined);
  }
}
