// The monitor's HTTP server: /metrics (OpenMetrics with exemplars when asked for, plain text
// otherwise), /healthz (alive), /readyz (scheduler running, store reachable), /api/runs (recent runs
// as JSON, filtered by journey and outcome) and / (the status page).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MonitorMetrics } from './metrics.ts';
import type { HistoryStore } from './history.ts';
import { renderStatusPage, type JourneyStatusView } from './status-page.ts';

export interface ServerDeps {
  metrics: MonitorMetrics;
  store: HistoryStore;
  journeys: { id: string; title: string; schedule: string }[];
  isRunning(): boolean;
  busy(): string[];
  location?: string;
  refreshSeconds: number;
}

const OUTCOMES = new Set(['passed', 'failed', 'flaky', 'error', 'skipped', 'interrupted']);

export async function startServer(deps: ServerDeps, host: string, port: number): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: Error) => send(res, 500, 'application/json', JSON.stringify({ error: 'internal_error', message: err.message })));
  });
  // Prometheus keeps its scrape connection open; idle keep-alive sockets must not hold up close().
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(d: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://monitor');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
  switch (url.pathname) {
    case '/metrics': {
      const { contentType, parts } = await d.metrics.exposeParts(req.headers.accept);
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': parts.reduce((n, p) => n + Buffer.byteLength(p), 0) });
      for (const p of parts) res.write(p);
      return void res.end();
    }
    case '/healthz':
      return send(res, 200, 'application/json', '{"status":"ok"}');
    case '/readyz': {
      const problems: string[] = [];
      if (!d.isRunning()) problems.push('the scheduler is not running');
      await d.store.ping().catch((err: Error) => problems.push(`the ${d.store.kind} history store does not answer: ${err.message}`));
      return send(res, problems.length ? 503 : 200, 'application/json', JSON.stringify(problems.length ? { status: 'not ready', problems } : { status: 'ready' }));
    }
    case '/api/runs': {
      const journey = url.searchParams.get('journey') ?? undefined;
      const outcome = url.searchParams.get('outcome') ?? undefined;
      const limitText = url.searchParams.get('limit') ?? '50';
      const problems: string[] = [];
      if (journey && !d.journeys.some((j) => j.id === journey)) problems.push(`journey: no journey "${journey}" (known: ${d.journeys.map((j) => j.id).join(', ')})`);
      if (outcome && !OUTCOMES.has(outcome)) problems.push(`outcome: must be one of ${[...OUTCOMES].join(', ')}, got "${outcome}"`);
      if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) problems.push(`limit: expected a whole number from 1 to 1000, got "${limitText}"`);
      if (problems.length) return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_request', problems }));
      const runs = await d.store.list({ journey, outcome, limit: Number(limitText) });
      return send(res, 200, 'application/json', JSON.stringify({ runs }));
    }
    case '/': {
      const busy = new Set(d.busy());
      const views: JourneyStatusView[] = await Promise.all(d.journeys.map(async (j) => ({ ...j, runs: await d.store.list({ journey: j.id, limit: 30 }), running: busy.has(j.id) })));
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage({ journeys: views, location: d.location, refreshSeconds: d.refreshSeconds, now: new Date() }));
    }
    default:
      return send(res, 404, 'application/json', JSON.stringify({ error: 'not_found', paths: ['/', '/metrics', '/healthz', '/readyz', '/api/runs'] }));
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
