// Transport failures against local misbehaving servers: each has its own code, carries the status
// and the first bytes of the body (redacted) in `actual`, and comes out as a result, never a crash
// or a stack trace. A platform answer without any correlation id is its own symptom.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http } from '../../src/engine/journey.ts';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import { targetAt } from '../support/targets.ts';
import type { Target } from '../../src/engine/target.ts';

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    (s as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
/** A raw TCP server: whatever it writes is what the client gets. */
const raw = (onSocket: (s: Socket) => void) => listen(createServer((s) => {
  s.on('error', () => undefined);
  s.once('data', () => onSocket(s));
}));
const httpServer = (handler: (req: IncomingMessage, res: ServerResponse) => void) => listen(createHttpServer(handler));
async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

const target = (apiUrl: string): Target => targetAt(apiUrl, { name: 'misbehaving', realm: 'sandbox' });

async function failureOf(apiUrl: string) {
  const executor = createHttpExecutor({ responseTimeoutMs: 400 });
  try {
    const journey = defineJourney({ id: 'probe', title: 'one request', steps: [http('get it', { request: () => ({ method: 'GET', path: '/api/v1/thing' }), expect: { status: 200 } })] });
    const run = await runJourneys({ journeys: [journey], target: target(apiUrl), executors: [executor], stepTimeoutMs: 5_000 });
    const step = run.journeys[0]!.attempts[0]!.steps[0]!;
    return { status: step.status, code: step.code, actual: String(step.actual), message: step.message ?? '' };
  } finally {
    await executor.close?.();
  }
}

const CASES: { name: string; url: () => Promise<string>; code: string; actual: RegExp }[] = [
  { name: 'connection refused', url: refusedUrl, code: 'target_unreachable', actual: /ECONNREFUSED/ },
  { name: 'host that does not resolve', url: async () => 'http://onramp-no-such-host.invalid', code: 'target_unreachable', actual: /ENOTFOUND|EAI_AGAIN/ },
  {
    name: 'connection reset mid-response',
    url: () => raw((s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"partial":');
      setTimeout(() => s.resetAndDestroy(), 50);
    }),
    code: 'connection_reset',
    actual: /^200 /,
  },
  { name: 'an answer that is not HTTP', url: () => raw((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n')), code: 'invalid_http_response', actual: /HPE_|does not match the HTTP\/1.1 protocol/ },
  { name: 'no response in time', url: () => raw(() => undefined), code: 'response_timeout', actual: /UND_ERR_HEADERS_TIMEOUT/ },
  {
    name: 'a body declared JSON that does not parse (with a token in it, redacted)',
    url: () => httpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': 'c-1' }).end('{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", oops')),
    code: 'invalid_json_body',
    actual: /^200 \{"access_token":"\[redacted\]", oops$/,
  },
  {
    name: "a gateway's HTML 502",
    url: () => httpServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>')),
    code: 'error_body_not_json',
    actual: /^502 text\/html: <html><body><h1>502 Bad Gateway/,
  },
  {
    name: 'an answer without any correlation id',
    url: () => httpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')),
    code: 'correlation_id_missing',
    actual: /none/,
  },
];

describe('transport failures', () => {
  it.each(CASES)('$name: $code', async (c) => {
    const f = await failureOf(await c.url());
    expect({ status: f.status, code: f.code }).toEqual({ status: 'failed', code: c.code });
    expect(f.actual).toMatch(c.actual);
    expect(f.message).not.toMatch(/\n\s+at /);
  });
});
