// Browser steps through Playwright: one warm browser per process (or one per journey attempt, as
// per-check runners do, for comparison), a fresh context per journey attempt, and per step the
// page's failed requests and console errors; a failed step leaves a screenshot and a trace in the
// output folder. Traces are recorded in chunks, one per step, and kept on failure (or always).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright';
import { stepId, type BrowserStep } from '../journey.ts';
import type { JourneyContext } from '../context.ts';
import type { StepArtifact } from '../results.ts';
import { StepFailure } from '../failure.ts';
import { targetSecrets } from '../target.ts';
import { BrowserUnavailableError, WarmBrowser } from '../browser/warm-browser.ts';
import { resolveSelectors, type SelectorOverrides, type Selectors } from '../browser/selectors.ts';
import { browserSession } from '../browser/session.ts';
import { watchStep } from '../browser/step-watch.ts';
import { tagNavigations, watchIdp } from '../browser/idp-watch.ts';
import { keepTrace } from '../browser/keep-trace.ts';
import type { StepExecutor } from './executor.ts';

export interface BrowserSettings {
  executablePath?: string;
  headless?: boolean;
  /** Keep every step's trace, not only failed steps'. */
  traceAll?: boolean;
  /** Budget of one page action or wait (default 10 s): below the step's, so a stuck page still leaves its artifacts. */
  actionTimeoutMs?: number;
  /** `per-attempt` launches a browser for every journey attempt (what per-check runners do); default warm. */
  launch?: 'warm' | 'per-attempt';
  selectors?: SelectorOverrides;
}

export interface BrowserExecutorOptions extends BrowserSettings {
  /** Artifacts go under `<outputDir>/artifacts/`; their paths in results are relative to outputDir. */
  outputDir: string;
  /** A browser someone else owns (Playwright Test's worker browser); default: our own warm one. */
  browser?: () => Promise<Browser>;
}

interface Fresh {
  context: BrowserContext;
  page: Page;
}

interface Attempt extends Fresh {
  ownBrowser?: Browser;
  steps: number;
  /** The X-Request-ID the running step's navigations carry, and whether one was sent. */
  tag?: { id?: string; sent: boolean };
  /** Who the page is signed in as, as the last step that signed in said. */
  signedInAs?: string;
  /** The X-Correlation-ID of the last answer the page got, in any step of the attempt. */
  lastCorrelationId?: string;
}

export interface BrowserExecutor extends StepExecutor<BrowserStep> {
  /** ms each attempt waited for its context (with its first page and tracing), in order. */
  readonly setupMs: number[];
  /** ms each context took to create, whether an attempt waited for it or it was prepared ahead. */
  readonly createMs: number[];
  readonly warm: WarmBrowser;
  /** Resolves once the context prepared ahead (if any) is ready: nothing runs in the background then. */
  idle(): Promise<void>;
  endAttempt(ctx: JourneyContext): Promise<void>;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1280, height: 800 };

export function createBrowserExecutor(o: BrowserExecutorOptions): BrowserExecutor {
  const warm = new WarmBrowser({ executablePath: o.executablePath, headless: o.headless });
  const attempts = new Map<JourneyContext, Promise<Attempt>>();
  const setupMs: number[] = [];
  const createMs: number[] = [];
  // With a warm browser, the next attempt's context is prepared while the browser is idle (after an
  // attempt ends): a new page spawns a renderer process, 100-300 ms here, which then costs no run.
  let spare: Promise<Fresh> | undefined;
  let closing = false;
  const selectorsFor = (ctx: JourneyContext) => resolveSelectors({ console: { ...o.selectors?.console, ...ctx.target.selectors?.console }, keycloak: { ...o.selectors?.keycloak, ...ctx.target.selectors?.keycloak } });

  const perAttempt = o.launch === 'per-attempt' && !o.browser;
  const shared = () => (o.browser ?? (() => warm.get()))();

  async function fresh(browser: Browser): Promise<Fresh> {
    const t0 = performance.now();
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(o.actionTimeoutMs ?? 10_000);
    // DOM snapshots, not screencast frames: text in a snapshot can be redacted, pixels cannot.
    await context.tracing.start({ screenshots: false, snapshots: true });
    const page = await context.newPage();
    createMs.push(Math.round(performance.now() - t0));
    return { context, page };
  }

  async function open(): Promise<Attempt> {
    const ownBrowser = perAttempt ? await warm.launchNew() : undefined;
    const t0 = performance.now();
    const ready = ownBrowser ? undefined : await takeSpare();
    const f = ready ?? (await fresh(ownBrowser ?? (await shared())));
    setupMs.push(Math.round(performance.now() - t0));
    return { ...f, ownBrowser, steps: 0 };
  }

  /** The prepared context, if it is still usable (its browser did not crash meanwhile). */
  async function takeSpare(): Promise<Fresh | undefined> {
    const s = await spare?.catch(() => undefined);
    spare = undefined;
    if (s && s.context.browser()?.isConnected() && !s.page.isClosed()) return s;
    await s?.context.close().catch(() => undefined);
    return undefined;
  }

  function prepareSpare(): void {
    // Not in a browser someone else owns (Playwright Test's): it runs one attempt per executor.
    if (perAttempt || o.browser || spare) return;
    spare = shared().then(fresh);
    spare.catch(() => undefined);
  }

  async function attemptFor(ctx: JourneyContext): Promise<Attempt> {
    let a = attempts.get(ctx);
    if (!a) {
      a = open();
      attempts.set(ctx, a);
    }
    try {
      const attempt = await a;
      // A crashed browser takes the context with it: the next step gets a new browser and context.
      if (attempt.context.browser()?.isConnected() === false || attempt.page.isClosed()) throw new Error('closed');
      return attempt;
    } catch (err) {
      attempts.delete(ctx);
      if (err instanceof BrowserUnavailableError) throw new StepFailure('browser_unavailable', err.message, 'a Chromium to launch', 'none');
      if ((err as Error).message !== 'closed') throw err;
      return attemptFor(ctx);
    }
  }

  async function saveArtifacts(a: Attempt, ctx: JourneyContext, sel: Selectors, id: string, failed: boolean): Promise<StepArtifact[]> {
    const dir = join('artifacts', ctx.journeyId);
    await mkdir(join(o.outputDir, dir), { recursive: true });
    const stem = `${ctx.runId}-a${ctx.attempt}-${String(a.steps).padStart(2, '0')}-${id}`;
    const out: StepArtifact[] = [];
    if (failed) {
      const path = join(dir, `${stem}.png`);
      // Password fields and secrets the page shows once are masked: a screenshot cannot be redacted afterwards.
      const mask = [a.page.locator('input[type="password"]'), a.page.locator(sel.console.enrollment_token_secret)];
      if (await a.page.screenshot({ path: join(o.outputDir, path), fullPage: true, timeout: 5_000, mask }).then(() => true, () => false)) out.push({ kind: 'screenshot', path });
    }
    const path = join(dir, `${stem}.trace.zip`);
    // Passwords typed into the IdP's pages, cookies, tokens in answers would otherwise sit in the trace.
    if (await keepTrace(a.context, join(o.outputDir, path), [...ctx.secrets, ...targetSecrets(ctx.target)])) out.push({ kind: 'trace', path });
    return out;
  }

  return {
    kind: 'browser',
    setupMs,
    createMs,
    warm,
    idle: async () => void (await spare?.catch(() => undefined)),
    async run(step, ctx) {
      if (!ctx.target.consoleUrl) throw new StepFailure('console_url_missing', `browser steps need the console's URL: target "${ctx.target.name}" names no console_url`, 'console_url', 'missing');
      const a = await attemptFor(ctx);
      const sel = selectorsFor(ctx);
      a.steps++;
      if (!a.tag) {
        const tag: NonNullable<Attempt['tag']> = { sent: false };
        await tagNavigations(a.context, ctx.target, () => tag);
        a.tag = tag;
      }
      a.tag.id = `${ctx.runId}.${ctx.journeyId}.browser.${a.steps}`;
      a.tag.sent = false;
      await a.context.tracing.startChunk({ title: step.name }).catch(() => undefined);
      const watch = watchStep(a.context, a.page);
      // An IdP that is down or slow ends the step at once, as keycloak_down or keycloak_slow, instead of a page action's timeout.
      const idpWatch = watchIdp(a.context, ctx.target, { step: step.name, judgeSlow: !step.always, signal: ctx.signal });
      let failure: unknown;
      let signedIn = (): string | undefined => a.signedInAs;
      try {
        const session = browserSession(a.page, sel, ctx.target.consoleUrl!, a.signedInAs);
        const running = Promise.resolve(step.run(session, ctx)).finally(() => (a.signedInAs = session.signedInAs));
        // Read at once too: the step may still be running when the IdP verdict ends it.
        signedIn = () => session.signedInAs;
        running.catch(() => undefined);
        await Promise.race([running, idpWatch.verdict]);
        await idpWatch.settle();
      } catch (err) {
        failure = err;
        // The page may still be waiting on the IdP's answer: evidence is taken from the page as the
        // user sees it now, not after that answer (every page read would wait for it first).
        if (err instanceof StepFailure && IDP_VERDICTS.has(err.code)) await stopLoading(a);
      } finally {
        idpWatch.stop();
      }
      const rec = ctx.recorder;
      rec.browser = await watch.stop(sel.console.error_banner);
      // The page's last platform correlation id: this step's last answer's, else the last one the
      // page got in an earlier step (a step that only reads the page has no answer of its own).
      if (rec.browser.lastCorrelationId) a.lastCorrelationId = rec.browser.lastCorrelationId;
      else if (a.lastCorrelationId) rec.browser.lastCorrelationId = a.lastCorrelationId;
      const who = signedIn();
      if (who) rec.browser.signedInAs = who;
      rec.correlationId ??= [...rec.browser.failedRequests, ...rec.browser.consoleErrors].find((e) => e.correlationId)?.correlationId ?? rec.browser.lastCorrelationId;
      // The id onramp sent with the step's navigations: what a failure that is no platform answer is searched by.
      if ((failure !== undefined || rec.softFailure !== undefined) && a.tag.sent) rec.requestId = a.tag.id;
      a.tag.id = undefined;
      const failed = failure !== undefined || rec.softFailure !== undefined;
      if (failed || o.traceAll) rec.artifacts.push(...(await saveArtifacts(a, ctx, sel, stepId(step), failed)));
      else await a.context.tracing.stopChunk().catch(() => undefined);
      if (failure !== undefined) throw asStepFailure(failure);
    },
    async endAttempt(ctx) {
      const a = attempts.get(ctx);
      attempts.delete(ctx);
      const attempt = await a?.catch(() => undefined);
      await attempt?.context.close().catch(() => undefined);
      await attempt?.ownBrowser?.close().catch(() => undefined);
      if (attempt && !attempt.ownBrowser && !closing) prepareSpare();
    },
    async close() {
      closing = true;
      for (const ctx of [...attempts.keys()]) await this.endAttempt(ctx);
      await (await takeSpare())?.context.close().catch(() => undefined);
      await warm.close();
    },
  };
}

/** The failures of watchIdp: the IdP down or slow. */
const IDP_VERDICTS = new Set(['keycloak_slow', 'keycloak_down']);

/** The browser's stop button: a navigation still waiting for its answer is given up (Chromium's DevTools protocol). */
async function stopLoading(a: Attempt): Promise<void> {
  const cdp = await a.context.newCDPSession(a.page).catch(() => undefined);
  await cdp?.send('Page.stopLoading').catch(() => undefined);
  await cdp?.detach().catch(() => undefined);
}

/** Playwright's timeouts name what the page never showed; the call log after the first lines is noise in a report. */
function asStepFailure(err: unknown): unknown {
  if (err instanceof StepFailure) return err;
  const e = err as Error;
  // eslint-disable-next-line no-control-regex
  const plain = (e?.message ?? String(err)).replace(/\u001b\[[0-9;]*m/g, '');
  if (e?.name === 'TimeoutError') return new StepFailure('browser_timeout', plain.split('\n').slice(0, 3).join(' '), 'the page to show it in time', 'timeout');
  if (/Target page, context or browser has been closed|Browser has been closed|crash/i.test(plain)) return new StepFailure('browser_crashed', plain.split('\n')[0]!, 'a live browser', 'closed');
  return err;
}
