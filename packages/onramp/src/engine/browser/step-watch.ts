// What went wrong in the page while one step ran: failed responses (with their X-Correlation-ID,
// or the envelope's correlation_id), requests that got no answer, console errors, uncaught page
// errors, and error envelopes the page shows. URLs lose their query strings: authorization codes
// and states travel there.
import type { BrowserContext, ConsoleMessage, Page, Request, Response } from 'playwright';
import type { BrowserEvidence } from '../results.ts';

const bare = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0]!;
  }
};

export interface StepWatch {
  /** Stops listening; reads the error envelope shown by `envelopeSelector`, if any. */
  stop(envelopeSelector: string): Promise<BrowserEvidence>;
}

export function watchStep(context: BrowserContext, page: Page): StepWatch {
  const evidence: BrowserEvidence = { failedRequests: [], consoleErrors: [] };
  const pending: Promise<unknown>[] = [];
  // Header reads finish out of order: the id kept is that of the answer that arrived last.
  let responses = 0;
  let lastSeq = 0;
  const onResponse = (res: Response) => {
    // Every answer with a correlation id (the console passes the platform's through): the last one
    // is what a failure that is not an error answer (a wrong page, a missing text) is looked up by.
    const seq = ++responses;
    pending.push(
      res.headerValue('x-correlation-id').then(
        (id) => {
          if (!id || seq < lastSeq) return;
          lastSeq = seq;
          evidence.lastCorrelationId = id;
        },
        () => undefined,
      ),
    );
    if (res.status() < 400) return;
    const entry: BrowserEvidence['failedRequests'][number] = { method: res.request().method(), url: bare(res.url()), status: res.status() };
    evidence.failedRequests.push(entry);
    pending.push(
      (async () => {
        const header = await res.headerValue('x-correlation-id').catch(() => null);
        if (header) return (entry.correlationId = header);
        if (!/json/.test((await res.headerValue('content-type').catch(() => null)) ?? '')) return;
        const body = (await res.json().catch(() => undefined)) as { correlation_id?: unknown } | undefined;
        if (typeof body?.correlation_id === 'string') entry.correlationId = body.correlation_id;
      })(),
    );
  };
  const onFailed = (req: Request) => evidence.failedRequests.push({ method: req.method(), url: bare(req.url()), failure: req.failure()?.errorText ?? 'failed' });
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const at = msg.location().url;
    evidence.consoleErrors.push({ text: at ? `${msg.text()} (${bare(at)})` : msg.text(), source: 'console' });
  };
  const onPageError = (err: Error) => evidence.consoleErrors.push({ text: err.message.split('\n')[0]!, source: 'pageerror' });
  context.on('response', onResponse);
  context.on('requestfailed', onFailed);
  context.on('console', onConsole);
  page.on('pageerror', onPageError);
  return {
    async stop(envelopeSelector) {
      context.off('response', onResponse);
      context.off('requestfailed', onFailed);
      context.off('console', onConsole);
      page.off('pageerror', onPageError);
      await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, 1_000).unref())]);
      const shown = await page
        .locator(`${envelopeSelector}:visible`)
        .evaluateAll((els) => els.map((el) => ({ code: (el as HTMLElement).dataset.code, correlationId: (el as HTMLElement).dataset.correlationId, text: el.textContent?.trim() ?? '' })))
        .catch(() => []);
      for (const s of shown) {
        const correlationId = s.correlationId && s.correlationId !== 'none' ? s.correlationId : undefined;
        evidence.consoleErrors.push({ text: `error shown: ${s.text.replace(/\s+/g, ' ')}`, source: 'envelope', ...(correlationId ? { correlationId } : {}) });
      }
      // A console "Failed to load resource" line carries the correlation id of the response it is about.
      for (const e of evidence.consoleErrors) {
        if (e.correlationId) continue;
        const match = evidence.failedRequests.find((r) => r.correlationId && e.text.includes(r.url));
        if (match) e.correlationId = match.correlationId;
      }
      return evidence;
    },
  };
}
