// A journey's schedule: an interval (`30s`), aligned to the clock so that every replica computes the
// same ticks, or a node-cron expression. Jitter is derived from the journey's id and location, not
// drawn at random: replicas agree on when a tick fires, and journeys on one schedule still spread out.
import { createHash } from 'node:crypto';
import cron from 'node-cron';
import { parseDuration } from '../engine/sweep.ts';
import { scheduleProblem } from '../config/monitor.ts';

export type Schedule = { kind: 'interval'; everyMs: number; text: string } | { kind: 'cron'; expression: string; text: string };

export function parseSchedule(text: string): Schedule {
  const problem = scheduleProblem(text);
  if (problem) throw new Error(problem);
  const ms = parseDuration(text);
  return ms !== undefined ? { kind: 'interval', everyMs: ms, text } : { kind: 'cron', expression: text, text };
}

/** The nominal time between ticks: what "no run in three intervals" is measured against. */
export function nominalIntervalMs(s: Schedule): number {
  if (s.kind === 'interval') return s.everyMs;
  const task = cron.createTask(s.expression, () => undefined);
  try {
    const [a, b] = task.getNextRuns(2);
    return a && b ? b.getTime() - a.getTime() : 60_000;
  } finally {
    void task.destroy();
  }
}

/** The first interval tick strictly after `now` (ticks sit on multiples of the interval since the epoch). */
export const nextIntervalTick = (everyMs: number, now: number) => (Math.floor(now / everyMs) + 1) * everyMs;

/** A stable delay in [0, maxMs] for one journey at one location. */
export function jitterFor(key: string, maxMs: number): number {
  if (maxMs <= 0) return 0;
  return createHash('sha256').update(key).digest().readUInt32BE(0) % (maxMs + 1);
}
