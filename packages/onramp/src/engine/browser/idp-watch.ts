// What a browser step sees of the identity provider, so that an IdP outage is named at once rather
// than waited out until a page action times out: the IdP answering 5xx, or the console's page saying
// it cannot reach the IdP, is `keycloak_down`; an IdP page request unanswered past the IdP budget
// (with a slow discovery probe to confirm) is `keycloak_slow` (src/engine/idp-latency.ts).
// Navigations to the console and the IdP carry an X-Request-ID of onramp's making, so a failure that
// is no platform answer still has an id to search the console's, the IdP's or a gateway's logs with.
import type { BrowserContext, Request, Response, Route } from 'playwright';
import type { Target } from '../target.ts';
import { StepFailure } from '../failure.ts';
import { IdpWatchdog, isIdpUrl } from '../idp-latency.ts';

/** What the sandbox console (and a console like it) shows when it cannot reach the IdP. */
export const IDP_UNREACHABLE_TEXT = /identity provider cannot be reached/i;

export interface IdpWatch {
  /** Rejects with keycloak_down or keycloak_slow as soon as the step's page shows either. */
  readonly verdict: Promise<never>;
  /** After the step: waits for a slow-IdP probe under way, and throws its verdict. */
  settle(): Promise<void>;
  stop(): void;
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** Adds the step's X-Request-ID to navigations to the console and the IdP; `current()` names the step's id. */
export async function tagNavigations(context: BrowserContext, target: Target, current: () => { id?: string; sent: boolean }): Promise<void> {
  const origins = new Set([originOf(target.idpUrl), target.consoleUrl ? originOf(target.consoleUrl) : undefined].filter(Boolean));
  await context.route(
    (url) => origins.has(url.origin),
    async (route: Route) => {
      const req = route.request();
      const step = current();
      if (!step.id || !req.isNavigationRequest()) return route.fallback().catch(() => undefined);
      step.sent = true;
      return route.continue({ headers: { ...req.headers(), 'x-request-id': step.id } }).catch(() => undefined);
    },
  );
}

export function watchIdp(context: BrowserContext, target: Target, o: { step: string; judgeSlow: boolean; signal?: AbortSignal }): IdpWatch {
  const consoleOrigin = target.consoleUrl ? originOf(target.consoleUrl) : undefined;
  const watchdog = new IdpWatchdog(target, `${o.step}: an identity provider page`, o.judgeSlow, o.signal);
  const calls = new Map<Request, number>();
  const down = (what: string, actual: unknown) => watchdog.fail(new StepFailure('keycloak_down', `${o.step}: ${what}`, 'the identity provider answering', actual));

  // The IdP's own requests, and the console's navigations: its sign-in and callback pages wait on the IdP server-side.
  const onRequest = (req: Request) => {
    if (isIdpUrl(target, req.url()) || (req.isNavigationRequest() && originOf(req.url()) === consoleOrigin)) calls.set(req, watchdog.arm());
  };
  const settle = (req: Request) => {
    const call = calls.get(req);
    if (call === undefined) return;
    calls.delete(req);
    watchdog.disarm(call);
  };
  const onResponse = (res: Response) => {
    const req = res.request();
    settle(req);
    if (res.status() < 500) return;
    const origin = originOf(res.url());
    const path = origin ? new URL(res.url()).pathname : res.url();
    if (isIdpUrl(target, res.url())) return down(`the identity provider answered ${res.status()} to ${req.method()} ${path}`, res.status());
    if (origin !== consoleOrigin) return;
    // The console's own page (or API answer) for an IdP it cannot reach.
    void res
      .text()
      .then((body) => {
        if (IDP_UNREACHABLE_TEXT.test(body) || /"code"\s*:\s*"idp_unavailable"/.test(body)) down(`the console answered ${res.status()} to ${req.method()} ${path}: the identity provider cannot be reached`, `${res.status()} identity provider cannot be reached`);
      })
      .catch(() => undefined);
  };
  context.on('request', onRequest);
  context.on('response', onResponse);
  context.on('requestfailed', settle);
  return {
    verdict: watchdog.verdict,
    settle: () => watchdog.settle(),
    stop() {
      watchdog.stop();
      context.off('request', onRequest);
      context.off('response', onResponse);
      context.off('requestfailed', settle);
    },
  };
}
