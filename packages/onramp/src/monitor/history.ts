// Run history: what /api/runs and the status page read. One record per scheduled journey run, with
// each step's code and correlation id. In memory (bounded) by default; Postgres when configured.
import type { BrowserEvidence, JourneyResult, JourneyStatus, RunResult, StepArtifact, StepResult } from '../engine/results.ts';
import { lastAttempt, stepFailed } from '../engine/results.ts';
import type { Reporter } from '../engine/reporter.ts';

export interface StepRecord {
  /** The step's stable id; absent in records written before ids existed. */
  id?: string;
  name: string;
  status: string;
  durationMs: number;
  skipReason?: string;
  /** A failure code of the catalogue when written; a stored record keeps the code of its onramp version. */
  code?: string;
  message?: string;
  correlationId?: string;
  /** A failed step's screenshot and trace, relative to the monitor's artifacts folder (`<journey>/<run_id>/<file>`). */
  artifacts?: StepArtifact[];
  /** What a failed step expected and got, as text (cut to 300 characters each). */
  expected?: string;
  actual?: string;
  /** A failed browser step's page evidence, named as in results.json: the first few failed requests and console errors. */
  browser?: BrowserRecord;
  /** The X-Request-ID onramp sent, for a failure that is no platform answer (as in results.json). */
  request_id?: { id: string; sent_by: 'onramp' };
}

export interface BrowserRecord {
  failed_requests: { method: string; url: string; status: number | null; correlation_id: string | null }[];
  console_errors: { text: string; correlation_id: string | null }[];
  signed_in_as?: string;
}

/** Runs of one journey in a time window: `up` of them passed (also on retry). */
export interface UptimeCount {
  journey: string;
  runs: number;
  up: number;
}

/** Outcomes that say something about the target: skipped and interrupted runs do not count. */
export const COUNTED = ['passed', 'flaky', 'failed', 'error'] as const;
export const UP = ['passed', 'flaky'] as const;

export interface RunRecord {
  runId: string;
  journey: string;
  location: string;
  outcome: JourneyStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  steps: StepRecord[];
}

export interface RunQuery {
  journey?: string;
  outcome?: string;
  /** Newest first, at most this many (default 50). */
  limit?: number;
}

export interface HistoryStore {
  readonly kind: 'memory' | 'postgres';
  add(r: RunRecord): Promise<void>;
  list(q: RunQuery): Promise<RunRecord[]>;
  /** Per journey, the counted runs that finished at or after `since` (ISO time), for the status page's uptime. */
  uptime(since: string): Promise<UptimeCount[]>;
  /** For /readyz: the store answers. */
  ping(): Promise<void>;
  /** Drops records older than the retention (Postgres; memory is bounded by size instead). */
  prune(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}

export class MemoryHistory implements HistoryStore {
  readonly kind = 'memory';
  readonly #runs: RunRecord[] = [];
  constructor(readonly size = 500) {}

  async add(r: RunRecord): Promise<void> {
    this.#runs.push(r);
    if (this.#runs.length > this.size) this.#runs.splice(0, this.#runs.length - this.size);
  }

  async list(q: RunQuery): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    for (let i = this.#runs.length - 1; i >= 0 && out.length < (q.limit ?? 50); i--) {
      const r = this.#runs[i]!;
      if ((!q.journey || r.journey === q.journey) && (!q.outcome || r.outcome === q.outcome)) out.push(r);
    }
    return out;
  }

  async uptime(since: string): Promise<UptimeCount[]> {
    return countUptime(this.#runs, since);
  }

  async ping(): Promise<void> {}
  async prune(): Promise<number> {
    return 0;
  }
  async close(): Promise<void> {}
}

/** Counts the records' uptime per journey (the memory store's, and the records a buffer still holds). */
export function countUptime(records: RunRecord[], since: string): UptimeCount[] {
  const by = new Map<string, UptimeCount>();
  const from = Date.parse(since);
  for (const r of records) {
    if (Date.parse(r.finishedAt) < from || !(COUNTED as readonly string[]).includes(r.outcome)) continue;
    const c = by.get(r.journey) ?? { journey: r.journey, runs: 0, up: 0 };
    c.runs++;
    if ((UP as readonly string[]).includes(r.outcome)) c.up++;
    by.set(r.journey, c);
  }
  return [...by.values()];
}

const MAX_EVIDENCE = 5;
const cut = (text: string, n = 300) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const shown = (v: unknown) => cut(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** What the status page shows of a failed step besides its code: expected, actual, page evidence, artifacts. */
function failureDetails(s: StepResult): Partial<StepRecord> {
  if (!stepFailed(s)) return {};
  return {
    ...(s.artifacts?.length ? { artifacts: s.artifacts.map((a) => ({ kind: a.kind, path: a.path })) } : {}),
    ...(s.expected !== undefined ? { expected: shown(s.expected) } : {}),
    ...(s.actual !== undefined ? { actual: shown(s.actual) } : {}),
    ...(s.browser ? { browser: browserRecord(s.browser) } : {}),
    ...(s.requestId ? { request_id: { id: s.requestId.id, sent_by: s.requestId.sentBy } } : {}),
  };
}

function browserRecord(b: BrowserEvidence): BrowserRecord {
  return {
    failed_requests: b.failedRequests.slice(0, MAX_EVIDENCE).map((r) => ({ method: r.method, url: cut(r.url), status: r.status ?? null, correlation_id: r.correlationId ?? null })),
    console_errors: b.consoleErrors.slice(0, MAX_EVIDENCE).map((e) => ({ text: cut(e.text), correlation_id: e.correlationId ?? null })),
    ...(b.signedInAs ? { signed_in_as: b.signedInAs } : {}),
  };
}

function toRecord(run: RunResult, j: JourneyResult, location: string): RunRecord {
  return {
    runId: run.runId,
    journey: j.id,
    location,
    outcome: j.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: j.durationMs,
    steps: (lastAttempt(j)?.steps ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      durationMs: s.durationMs,
      ...(s.skipReason ? { skipReason: s.skipReason } : {}),
      ...(s.code ? { code: s.code } : {}),
      ...(s.message ? { message: s.message.slice(0, 500) } : {}),
      ...(s.correlationId ? { correlationId: s.correlationId } : {}),
      ...failureDetails(s),
    })),
  };
}

/** The history sink: each journey of a finished run becomes a record. */
export function historySink(store: HistoryStore, location: string): Reporter {
  return {
    name: 'history',
    async onRunEnd(run) {
      for (const j of run.journeys) await store.add(toRecord(run, j, location));
    },
  };
}
