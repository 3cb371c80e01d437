// Run history: what /api/runs and the status page read. One record per scheduled journey run, with
// each step's code and correlation id. In memory (bounded) by default; Postgres when configured.
import type { JourneyResult, JourneyStatus, RunResult } from '../engine/results.ts';
import { lastAttempt } from '../engine/results.ts';
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
}

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

  async ping(): Promise<void> {}
  async prune(): Promise<number> {
    return 0;
  }
  async close(): Promise<void> {}
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
