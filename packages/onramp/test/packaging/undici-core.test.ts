// What onramp's compiled code gets for `import { Agent, request } from 'undici'`
// (scripts/undici-core.mjs, by scripts/build.mjs): undici's own Agent and request, without the rest
// of undici. Its request is undici's (makeDispatcher copied verbatim from the installed undici) and
// sends and answers exactly as undici's does; no compiled module imports undici's index itself.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: build tooling in plain JavaScript, without declarations
import * as core from '../../scripts/undici-core.mjs';
// @ts-expect-error: repository tooling in plain JavaScript, without declarations
import { walk } from '../../../../scripts/compile.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const lite = core as Pick<typeof undici, 'Agent' | 'request'>;
const makeDispatcher = (source: string) => /^function makeDispatcher \(fn\) \{\n[\s\S]*?\n\}$/m.exec(source)?.[0];

let server: Server;
let origin: string;
const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-correlation-id': 'c-1' }).end(JSON.stringify({ echo: body, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('undici-core', () => {
  it("copies makeDispatcher verbatim from the installed undici's index.js", async () => {
    const installed = await readFile(createRequire(import.meta.url).resolve('undici'), 'utf8');
    const ours = await readFile(join(ROOT, 'scripts/undici-core.mjs'), 'utf8');
    expect(makeDispatcher(installed)).toBeTruthy();
    expect(makeDispatcher(ours)).toBe(makeDispatcher(installed));
  });

  it("exports undici's own Agent, the class undici's index exports", () => {
    expect(lite.Agent).toBe(undici.Agent);
    expect(Object.keys(core).sort()).toEqual(['Agent', 'request']);
  });

  it("sends and answers as undici's request does, with its own dispatcher and the global one", async () => {
    const agent = new lite.Agent({ connections: 2, keepAliveTimeout: 1000 });
    const calls: [string | URL, Parameters<typeof undici.request>[1]][] = [
      [new URL('/api/v1/session?x=1', origin), { method: 'GET', headers: { accept: 'application/json', 'x-request-id': 'r-1' }, dispatcher: agent }],
      [`${origin}/api/v1/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'acme' }), dispatcher: agent }],
      // `path` beside a bare origin: undici's types leave it out, its code takes it.
      [origin, { path: 'missing/thing', method: 'DELETE' } as Parameters<typeof undici.request>[1]],
      [new URL('/form', origin), { method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      [origin, { body: 'no method: PUT' }],
    ];
    try {
      for (const [url, opts] of calls) {
        const answers = [];
        for (const send of [undici.request, lite.request]) {
          const res = await send(url, opts);
          const { date: _date, 'keep-alive': _keepAlive, ...headers } = res.headers;
          answers.push({ status: res.statusCode, headers, body: await res.body.text(), sent: seen.pop() });
        }
        const [theirs, ours] = answers.map((a) => ({ ...a, sent: { ...a.sent, headers: { ...a.sent?.headers, connection: undefined } } }));
        expect(ours, String(url)).toEqual(theirs);
      }
    } finally {
      await agent.close();
    }
  });

  it("fails as undici's request does on what it refuses", () => {
    const attempts: [unknown, unknown][] = [
      [undefined, {}],
      [origin, 'opts'],
      [origin, { path: 7 }],
      [`${origin}/a/path`, { path: '/another' }],
      [origin, { agent: {} }],
    ];
    for (const [url, opts] of attempts) {
      const failure = (send: typeof undici.request) => {
        try {
          void (send as (u: unknown, o: unknown) => unknown)(url, opts);
          return undefined;
        } catch (err) {
          return { name: (err as Error).name, code: (err as { code?: string }).code, message: (err as Error).message };
        }
      };
      expect(failure(lite.request)).toEqual(failure(undici.request));
      expect(failure(lite.request)).toBeDefined();
    }
  });

  it("leaves no compiled module importing undici's index: the bundle and dist/'s modules import undici-core", async () => {
    const files = (walk(join(ROOT, 'dist')) as string[]).filter((f) => f.endsWith('.js') && !f.includes('/types/'));
    const importing = [];
    for (const f of files) if (/(from |import\(|require\()"undici"/.test(await readFile(f, 'utf8'))) importing.push(f);
    expect(importing).toEqual([]);
    expect(files.some((f) => f.endsWith('/dist/src/undici-core.js'))).toBe(true);
  });
});
