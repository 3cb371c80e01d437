// The sandbox's own log lines, kept in memory (the newest `capacity`) beside wherever else they go,
// so its Loki-compatible API (loki.ts) can answer for them. Pino writes whole lines to it as one
// of its streams; each keeps its timestamp in nanoseconds, as Loki's entries do.

export interface LogEntry {
  /** Nanoseconds since the epoch: pino's `time` (ms) plus a sequence number, unique and ordered. */
  ns: bigint;
  line: string;
  /** The line parsed, or undefined when it is not a JSON object. */
  fields: Record<string, unknown> | undefined;
}

export class LogRing {
  readonly #entries: LogEntry[] = [];
  #lastNs = 0n;

  constructor(readonly capacity = 20_000) {}

  /** A pino destination: one or more newline-terminated lines per call. */
  write(chunk: string | Buffer): boolean {
    for (const line of String(chunk).split('\n')) if (line.trim()) this.add(line);
    return true;
  }

  add(line: string): void {
    let fields: Record<string, unknown> | undefined;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) fields = v as Record<string, unknown>;
    } catch {
      // not JSON: kept as text, as Loki keeps any line
    }
    const ms = typeof fields?.time === 'number' ? fields.time : Date.now();
    let ns = BigInt(Math.floor(ms)) * 1_000_000n;
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    this.#entries.push({ ns, line, fields });
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  /** Entries with start <= ns < end, oldest first. */
  between(start: bigint, end: bigint): LogEntry[] {
    return this.#entries.filter((e) => e.ns >= start && e.ns < end);
  }
}
