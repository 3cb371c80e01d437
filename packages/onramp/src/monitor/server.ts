// The monitor's HTTP server: /metrics (OpenMetrics with exemplars when asked for, plain text
// otherwise), /healthz (alive), /readyz (scheduler running; 200 but degraded while the history store is away), /api/runs (recent runs
// as JSON with results.json's field names, filtered by journey and status), /artifacts/ (failed runs'
// screenshots and traces, read-only, when served) and / (the status page).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MonitorMetrics } from './metrics.ts';
import type { HistoryStore } from './history.ts';
import type { HistoryHealth } from './buffered-history.ts';
import { RECENT_RUNS, renderStatusPage, type JourneyStatusView, type StatusTarget } from './status-page.ts';
import type { LogLinks } from './status-failure.ts';
import { ARTIFACTS_PREFIX, serveArtifact } from './artifact-route.ts';
import { runsApi } from './runs-api.ts';

export interface ServerDeps {
  metrics: MonitorMetrics;
  store: HistoryStore;
  /** A store that buffers while its database is away: its outage makes the monitor degraded, not unready. */
  history?: { health(): HistoryHealth };
  /** Replica tick claims: `local` while they cannot reach the database. */
  claims?(): { state: 'ok' | 'local'; reason?: string; since?: string } | undefined;
  journeys: { id: string; title: string; schedule: string }[];
  /** What the status page's header says the journeys run against. */
  target?: StatusTarget;
  isRunning(): boolean;
  busy(): string[];
  location?: string;
  refreshSeconds: number;
  /** Served under /artifacts/ (absent: not served, 404); `has` says whether a path is still kept here. */
  artifacts?: { dir: string; has(path: string): boolean };
  /** Where the status page points for a failure's log lines. */
  logs?: LogLinks;
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
  // The path as sent: URL parsing would already have resolved a `..` in it.
  const raw = (req.url ?? '/').split('?')[0]!;
  if (d.artifacts && raw.startsWith(ARTIFACTS_PREFIX)) return serveArtifact(d.artifacts.dir, raw.slice(ARTIFACTS_PREFIX.length), req.method === 'HEAD', res);
  const artifactUrl = (path: string) => (d.artifacts?.has(path) ? ARTIFACTS_PREFIX + path.split('/').map(encodeURIComponent).join('/') : undefined);
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
      const pinged = await d.store.ping().then(() => undefined, (err: Error) => err);
      // Degraded, not unready: while the history database is away the monitor still runs every
      // journey, updates /metrics and buffers the runs, so it answers 200. Readiness decides whether
      // the pod stays behind its Service; a 503 would take it out of the endpoints the
      // ServiceMonitor scrapes, and with one database behind every replica, all of them at once:
      // the canary's metrics would vanish while it is still checking, and alerts would fire about
      // the canary instead of the platform. The outage is in onramp_history_store_up and
      // onramp_history_buffered_runs instead, and in the body here.
      const degraded: string[] = [];
      const health = d.history?.health();
      if (health?.state === 'degraded') degraded.push(`the ${d.store.kind} history store does not answer (${health.reason}): ${health.buffered} runs buffered${health.dropped ? `, ${health.dropped} dropped` : ''}; journeys keep running`);
      else if (pinged && !d.history) problems.push(`the ${d.store.kind} history store does not answer: ${pinged.message}`);
      const claims = d.claims?.();
      if (claims?.state === 'local') degraded.push(`tick claims do not reach the database (${claims.reason}): this replica runs its ticks without a claim, other replicas may run them too`);
      if (problems.length) return send(res, 503, 'application/json', JSON.stringify({ status: 'not ready', problems, ...(degraded.length ? { degraded } : {}) }));
      if (degraded.length) return send(res, 200, 'application/json', JSON.stringify({ status: 'degraded', degraded, ...(health ? { history: health } : {}) }));
      return send(res, 200, 'application/json', JSON.stringify({ status: 'ready' }));
    }
    case '/api/runs': {
      const journey = url.searchParams.get('journey') ?? undefined;
      // `status`, as the answer calls it; `outcome`, its name before, still works.
      const statusParam = url.searchParams.has('status') ? 'status' : 'outcome';
      const outcome = url.searchParams.get(statusParam) ?? undefined;
      const limitText = url.searchParams.get('limit') ?? '50';
      const problems: string[] = [];
      if (journey && !d.journeys.some((j) => j.id === journey)) problems.push(`journey: no journey "${journey}" (known: ${d.journeys.map((j) => j.id).join(', ')})`);
      if (outcome && !OUTCOMES.has(outcome)) problems.push(`${statusParam}: must be one of ${[...OUTCOMES].join(', ')}, got "${outcome}"`);
      if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) problems.push(`limit: expected a whole number from 1 to 1000, got "${limitText}"`);
      if (problems.length) return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_request', problems }));
      const runs = await d.store.list({ journey, outcome, limit: Number(limitText) });
      // Each kept artifact gets its URL; one pruned, or kept by another replica, has none.
      return send(res, 200, 'application/json', JSON.stringify(runsApi(runs, artifactUrl)));
    }
    case '/': {
      const busy = new Set(d.busy());
      const now = new Date();
      const uptimeOver = async (ms: number) => new Map((await d.store.uptime(new Date(now.getTime() - ms).toISOString())).map((c) => [c.journey, c]));
      const [hour, day] = await Promise.all([uptimeOver(3_600_000), uptimeOver(86_400_000)]);
      const views: JourneyStatusView[] = await Promise.all(
        d.journeys.map(async (j) => ({ ...j, runs: await d.store.list({ journey: j.id, limit: RECENT_RUNS }), running: busy.has(j.id), uptime: { hour: hour.get(j.id), day: day.get(j.id) } })),
      );
      const refreshSeconds = url.searchParams.get('refresh') === 'off' ? 0 : d.refreshSeconds;
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage({ journeys: views, target: d.target, location: d.location, refreshSeconds, now, logs: d.logs, artifactUrl }));
    }
    default:
      return send(res, 404, 'application/json', JSON.stringify({ error: 'not_found', paths: ['/', '/metrics', '/healthz', '/readyz', '/api/runs', ...(d.artifacts ? [ARTIFACTS_PREFIX] : [])] }));
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
