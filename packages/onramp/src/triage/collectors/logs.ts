// API log lines by correlation id: the runbook's LogQL query, a Grafana Explore link to it, and the
// lines themselves from Loki's HTTP API (GET /loki/api/v1/query_range) or from a JSON-lines request
// log (the embedded sandbox's own).
import { grafanaExploreUrl, logQuery } from '../../failures/log-search.ts';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { unavailable, type LogsEvidence, type Section } from '../evidence.ts';
import { whyUnavailable, type LogSource } from '../sources.ts';

/** The runbook's query; the id is escaped as a LogQL string. */
interface LokiResponse {
  status?: string;
  data?: { resultType?: string; result?: { stream?: Record<string, string>; values?: [string, string][] }[] };
}

const asObject = (line: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { line };
  } catch {
    return { line };
  }
};

/** Loki's query_range over a window; the lines in time order, each parsed as JSON where it is. */
export async function lokiLines(lokiUrl: string, query: string, window: { startMs: number; endMs: number }, limit = 200): Promise<Record<string, unknown>[]> {
  const url = new URL(`${lokiUrl.replace(/\/$/, '')}/loki/api/v1/query_range`);
  url.searchParams.set('query', query);
  url.searchParams.set('start', `${BigInt(Math.floor(window.startMs)) * 1_000_000n}`);
  url.searchParams.set('end', `${BigInt(Math.ceil(window.endMs)) * 1_000_000n}`);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('direction', 'forward');
  const res = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`Loki answered ${res.statusCode}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as LokiResponse;
  if (body.status !== 'success' || body.data?.resultType !== 'streams') throw new Error(`Loki's answer is not a streams result (status ${body.status}, resultType ${body.data?.resultType})`);
  return (body.data.result ?? [])
    .flatMap((s) => (s.values ?? []).map(([ts, line]) => ({ ts, line })))
    .sort((a, b) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : 1))
    .map(({ line }) => asObject(line));
}

/** The lines of a JSON-lines log with this correlation id (and service). */
export async function fileLines(file: string, service: string, correlationId: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.includes(correlationId))
    .map(asObject)
    .filter((o) => o.correlation_id === correlationId && (o.service === undefined || o.service === service));
}

export async function collectLogs(src: LogSource, correlationId: string | null, window: { startMs: number; endMs: number }): Promise<LogsEvidence> {
  if (!correlationId) return { query: '(no correlation id)', lines: unavailable('the failure carries no correlation id to look the logs up by') };
  const query = logQuery(src.service, correlationId);
  return { query, ...(src.grafanaUrl ? { grafana_url: grafanaExploreUrl(src.grafanaUrl, query, src.grafanaDatasource) } : {}), lines: await linesFrom(src, query, correlationId, window) };
}

async function linesFrom(src: LogSource, query: string, correlationId: string, window: { startMs: number; endMs: number }): Promise<Section<{ from: string; lines: Record<string, unknown>[] }>> {
  if (src.lokiUrl) {
    try {
      return { available: true, from: `loki ${src.lokiUrl}`, lines: await lokiLines(src.lokiUrl, query, window) };
    } catch (err) {
      return unavailable(whyUnavailable(`Loki query_range at ${src.lokiUrl}`, err));
    }
  }
  if (src.file) {
    // The sandbox writes its log asynchronously: a line may land a moment after the answer did.
    for (let i = 0; ; i++) {
      try {
        const lines = await fileLines(src.file, src.service, correlationId);
        if (lines.length || i >= 10) return { available: true, from: `file ${src.file}`, lines };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || i >= 10) return unavailable(whyUnavailable(`reading ${src.file}`, err));
      }
      await sleep(200);
    }
  }
  return unavailable('no Loki URL is configured for this target (targets.NAME.logs.loki_url), and no request log file (logs.file)');
}
