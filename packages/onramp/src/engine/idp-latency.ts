// A slow identity provider is named, not waited out: onramp's own IdP calls (login steps, the
// Keycloak admin client, the IdP's pages in a browser step) get IDP_ANSWER_BUDGET_MS for an answer.
// Past it, a probe of the realm's discovery document (a static answer a healthy Keycloak gives in
// milliseconds) decides: no answer to the probe within IDP_PROBE_BUDGET_MS either means the IdP
// itself is slow, and the step fails with `keycloak_slow` (even if the call answered meanwhile); a
// quick probe means the one call was slow for its own reasons (a busy machine, a heavy request),
// and the step goes on waiting. A Keycloak 2.5 s late per request is named within about 2.5 s.
// Cleanup steps never judge: they wait, so a slow IdP leaves no synthetic identities behind.
import { request } from 'undici';
import type { Target } from './target.ts';
import { StepFailure } from './failure.ts';

/** What a user waits for one IdP answer before the wait is visible (Keycloak answers in ms). */
export const IDP_ANSWER_BUDGET_MS = 1_500;
/** The discovery document is static: an IdP that cannot serve it in this time is slow. */
export const IDP_PROBE_BUDGET_MS = 1_000;

/** Keycloak's URL space (its realms' endpoints and pages, theme resources, admin API) under the target's IdP URL. */
export function isIdpUrl(target: Target, url: string): boolean {
  const base = target.idpUrl.replace(/\/$/, '');
  return ['/realms/', '/resources/', '/admin/'].some((p) => url.startsWith(base + p));
}

/** The realm's OpenID discovery document: the cheapest answer a Keycloak gives. */
export const discoveryUrl = (target: Target) => `${target.idpUrl}/realms/${target.realm}/.well-known/openid-configuration`;

/** Resolves true when the IdP does not answer its discovery document within the probe budget. */
export async function idpIsSlow(target: Target, signal?: AbortSignal): Promise<boolean> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), IDP_PROBE_BUDGET_MS);
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(discoveryUrl(target), { method: 'GET', signal: ac.signal, headers: { accept: 'application/json' } });
    await res.body.dump().catch(() => undefined);
    return false;
  } catch {
    // Aborted by the probe's own budget: slow. Refused or reset: not slow (another code names that).
    return ac.signal.aborted && !signal?.aborted;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export const slowFailure = (what: string, waitedMs: number) =>
  new StepFailure('keycloak_slow', `${what}: the identity provider kept a call waiting over ${IDP_ANSWER_BUDGET_MS} ms (${waitedMs} ms so far), and its discovery document over ${IDP_PROBE_BUDGET_MS} ms`, `an IdP answer within ${IDP_ANSWER_BUDGET_MS} ms`, `${waitedMs} ms waited, discovery probe over ${IDP_PROBE_BUDGET_MS} ms`);

/**
 * A watchdog over IdP calls: `arm()` when a call starts, `disarm()` when its answer came. Once a call
 * is unanswered past the budget, the IdP is probed (again every budget while calls stay unanswered);
 * `verdict` rejects with `keycloak_slow` as soon as a probe is slow too, whether or not the call has
 * answered meanwhile: `settle()` waits for a probe under way and throws its verdict. Never judges
 * for cleanup steps (`enabled` false).
 */
export class IdpWatchdog {
  readonly verdict: Promise<never>;
  #reject!: (err: StepFailure) => void;
  #failure?: StepFailure;
  #pending = new Map<number, number>();
  #seq = 0;
  #timer?: NodeJS.Timeout;
  #probe?: Promise<void>;
  #done = false;

  constructor(
    private readonly target: Target,
    private readonly what: string,
    private readonly enabled: boolean,
    private readonly signal?: AbortSignal,
  ) {
    this.verdict = new Promise<never>((_, reject) => (this.#reject = reject));
    this.verdict.catch(() => undefined);
  }

  /** A call started; returns its handle for `disarm`. */
  arm(): number {
    const id = ++this.#seq;
    this.#pending.set(id, performance.now());
    this.#schedule();
    return id;
  }

  disarm(id: number): void {
    this.#pending.delete(id);
    if (!this.#pending.size) this.#clear();
  }

  /** Fails the watched step with `failure` (an IdP 5xx seen, say) through `verdict`. */
  fail(failure: StepFailure): void {
    if (this.#failure) return;
    this.#failure = failure;
    this.#clear();
    this.#reject(failure);
  }

  /** Waits for a probe under way; throws the watchdog's failure, if any. */
  async settle(): Promise<void> {
    await this.#probe;
    if (this.#failure) throw this.#failure;
  }

  /** No new probes; a probe under way still decides `settle()`. */
  stop(): void {
    this.#done = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (!this.enabled || this.#done || this.#failure || this.#timer || this.#probe || !this.#pending.size) return;
    const oldest = Math.min(...this.#pending.values());
    const wait = Math.max(0, oldest + IDP_ANSWER_BUDGET_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#startProbe(oldest);
    }, wait);
    this.#timer.unref?.();
  }

  #startProbe(since: number): void {
    if (this.#done || this.#failure || !this.#pending.size) return;
    this.#probe = idpIsSlow(this.target, this.signal).then((slow) => {
      this.#probe = undefined;
      if (slow) return this.fail(slowFailure(this.what, Math.round(performance.now() - since)));
      // The probe answered quickly: the call is slow on its own; look again one budget later.
      if (this.#pending.size && !this.#done) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#startProbe(Math.min(...this.#pending.values()));
        }, IDP_ANSWER_BUDGET_MS);
        this.#timer.unref?.();
      }
    });
  }
}
