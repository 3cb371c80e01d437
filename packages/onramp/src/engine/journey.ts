// Journeys as code: a typed definition users copy and edit. A journey is named steps over a shared
// context; each step is of one kind (http, idp, db, browser) run by that kind's executor.
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { JourneyContext } from './context.ts';
import type { BrowserSession } from './browser/session.ts';
import { passwordGrantForm, tokenEndpoint } from './password-grant.ts';
import type { StepFailureCode } from '../failures/catalog.ts';

export interface JourneyDefinition {
  id: string;
  title: string;
  tags: string[];
  /** Whole-journey budget in ms (steps share it). */
  timeoutMs?: number;
  /** Refuse targets marked production (journeys that change identities behind the platform). */
  notInProduction?: boolean;
  steps: Step[];
}

interface StepBase {
  /** The title, for people: reports, the console, the status page. */
  name: string;
  /**
   * The step's stable id (a slug: a-z, 0-9, - and _): the `step` metric label and the key in
   * results.json, JUnit and evidence bundles. Default: derived from the title, so declare one where
   * a title may be reworded and its series must survive that.
   */
  id?: string;
  /** Per-step budget in ms. */
  timeoutMs?: number;
  /** Always runs, also after failures and timeouts (cleanup). */
  always?: boolean;
  /** A failure is recorded but later steps still run. */
  soft?: boolean;
  /** Runs only when this holds (e.g. cleanup of something an earlier step created); else skipped. */
  when?: (ctx: JourneyContext) => boolean;
}

export interface HttpRequestSpec {
  method: string;
  /** A path on the target's API (`/api/v1/...`) or an absolute URL. */
  path: string;
  headers?: Record<string, string | undefined>;
  /** JSON body (objects) or a form (URLSearchParams). */
  body?: unknown;
  /** Bearer token. */
  token?: string;
}

export interface HttpExpectation {
  status: number | number[];
  /**
   * Expected error `code` in the body: the platform's code, data to compare, never a failure code.
   * An expected error status (400 and above) with another code fails as `error_code_changed`.
   */
  code?: string;
  /**
   * The failure code reported when the status differs; default `unexpected_status`. A function
   * names the cause from the answer (a Keycloak 5xx is `keycloak_unavailable` wherever it shows).
   */
  failureCode?: StepFailureCode | ((res: HttpResponse) => StepFailureCode);
  /** Validate the body against the contract index (default true for API paths). */
  contract?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // Journeys read whatever JSON the target answers; contracts, not types, check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  correlationId?: string;
}

export interface HttpStep extends StepBase {
  kind: 'http';
  request: (ctx: JourneyContext) => HttpRequestSpec | Promise<HttpRequestSpec>;
  expect?: HttpExpectation | ((ctx: JourneyContext) => HttpExpectation);
  /** Extract values into ctx.vars and make further checks. */
  then?: (res: HttpResponse, ctx: JourneyContext) => void | Promise<void>;
  /** Send the request this many times (determinism checks); `then` sees each response. */
  repeat?: number;
}

export interface IdpStep extends StepBase {
  kind: 'idp';
  run: (kc: KcAdminClient, ctx: JourneyContext) => void | Promise<void>;
}

export type Query = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

export interface DbStep extends StepBase {
  kind: 'db';
  /** Runs inside a READ ONLY transaction; skipped when the target names no database. */
  run: (query: Query, ctx: JourneyContext) => void | Promise<void>;
}

export interface BrowserStep extends StepBase {
  kind: 'browser';
  /** Drives the journey attempt's page (one fresh browser context per attempt, kept across its steps). */
  run: (b: BrowserSession, ctx: JourneyContext) => void | Promise<void>;
}

export type Step = HttpStep | IdpStep | DbStep | BrowserStep;

type Spec<S> = Omit<S, 'kind' | 'name'>;

/** What a declared step id must look like: the slug stepId derives from a title. */
export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A title as a slug: lower case, every run of other characters one '-', at most 64 characters. */
export const slugOf = (title: string): string =>
  title
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD: drop the marks, keep the letters.
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '') || 'step';

/** The step's stable id: the declared one, else the slug of its title. */
export const stepId = (step: Pick<StepBase, 'id' | 'name'>): string => step.id ?? slugOf(step.name);

export const defineJourney = (j: Omit<JourneyDefinition, 'tags'> & { tags?: string[] }): JourneyDefinition => ({ tags: [], ...j });
export const http = (name: string, spec: Spec<HttpStep>): HttpStep => ({ kind: 'http', name, ...spec });
export const idp = (name: string, spec: Spec<IdpStep>): IdpStep => ({ kind: 'idp', name, ...spec });
export const db = (name: string, spec: Spec<DbStep>): DbStep => ({ kind: 'db', name, ...spec });
export const browser = (name: string, spec: Spec<BrowserStep>): BrowserStep => ({ kind: 'browser', name, ...spec });
/** Marks a step always-run: it cleans up after failures and timeouts too. */
export const cleanup = <S extends Step>(step: S): S => ({ ...step, always: true });

/** A Keycloak that answers 5xx is down, not refusing the user: the row the platform's 422 keycloak_unavailable means. */
export const loginFailureCode = (res: HttpResponse): StepFailureCode => (res.status >= 500 ? 'keycloak_down' : 'login_failed');

/** Logs a user in with the target's login client (direct access grant); the token goes to ctx.vars[saveAs]. */
export const login = (name: string, spec: { user: (ctx: JourneyContext) => { username: string; password: string }; saveAs: string } & Omit<StepBase, 'name'>): HttpStep =>
  http(name, {
    ...spec,
    request: (ctx) => {
      const { username, password } = spec.user(ctx);
      return { method: 'POST', path: tokenEndpoint(ctx.target), body: passwordGrantForm(ctx.target, username, password) };
    },
    expect: { status: 200, failureCode: loginFailureCode, contract: false },
    then: (res, ctx) => {
      ctx.keepSecret(spec.saveAs, res.body.access_token);
    },
  });
