// Every secret the sandbox's servers hand out or are given, recorded on the sandbox's side of the
// wire (node's `http.server.request.start` diagnostics channel, so a sandbox started in this
// process): cookie values it sets and gets, bearer tokens and Basic credentials it is sent, tokens,
// passwords and enrollment secrets in the bodies it answers and receives, codes in its redirects.
// A test that looks for secrets in onramp's artifacts takes them from here, not from the artifacts.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecretValue } from './trace-scan.ts';

const SECRET_FIELD = /token|secret|passw|^code$|code_verifier|client_assertion/i;
// In a JSON body `code` is the platform's error or check code (`weak_password`, a verification
// row's), never an OAuth code: those travel in redirects and the token endpoint's form body.
const NOT_SECRET_FIELD = /^token_type$|expires|_in$|_at$|^code$/i;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g;

export class WireSecrets {
  readonly #seen = new Map<string, string>();
  readonly #listener = (m: unknown) => this.#tap(m as { request: IncomingMessage; response: ServerResponse });

  start(): this {
    subscribe('http.server.request.start', this.#listener);
    return this;
  }

  stop(): void {
    unsubscribe('http.server.request.start', this.#listener);
  }

  add(what: string, value: string | undefined): void {
    // Short values ("on", "Bearer") are no secrets and would match anywhere.
    if (value && value.length >= 8 && !this.#seen.has(value)) this.#seen.set(value, what);
  }

  get secrets(): SecretValue[] {
    return [...this.#seen].map(([value, what]) => ({ what, value }));
  }

  #tap({ request, response }: { request: IncomingMessage; response: ServerResponse }): void {
    const where = `${request.method} ${request.url?.split('?')[0]}`;
    this.#headers(request.headers.cookie, request.headers.authorization, where);
    this.#url(request.url ?? '', `${where} (request URL)`);
    const body: Buffer[] = [];
    const emit = request.emit;
    request.emit = function (this: IncomingMessage, event: string, ...args: unknown[]) {
      if (event === 'data') body.push(Buffer.from(args[0] as Buffer));
      return emit.call(this, event, ...(args as []));
    } as typeof request.emit;
    request.once('end', () => this.#body(Buffer.concat(body).toString('utf8'), String(request.headers['content-type'] ?? ''), `${where} (request body)`));
    const answer: Buffer[] = [];
    const { write, end } = response;
    response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (chunk) answer.push(Buffer.from(chunk as Buffer));
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof response.write;
    response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (chunk && typeof chunk !== 'function') answer.push(Buffer.from(chunk as Buffer));
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof response.end;
    response.once('finish', () => {
      for (const c of [response.getHeader('set-cookie') ?? []].flat()) this.#cookie(String(c).split(';')[0]!, `${where} (Set-Cookie)`);
      // Headers given to writeHead are only in the raw header block.
      const raw = (response as unknown as { _header?: string })._header ?? '';
      for (const m of raw.matchAll(/^set-cookie: ([^;\r\n]*)/gim)) this.#cookie(m[1]!, `${where} (Set-Cookie)`);
      for (const m of raw.matchAll(/^location: (.*)$/gim)) this.#url(m[1]!.trim(), `${where} (redirect)`);
      const type = String(response.getHeader('content-type') ?? /^content-type: (.*)$/im.exec(raw)?.[1] ?? '');
      this.#body(Buffer.concat(answer).toString('utf8'), type, `${where} (answer)`);
    });
  }

  #headers(cookie: string | undefined, authorization: string | undefined, where: string): void {
    for (const part of (cookie ?? '').split(';')) this.#cookie(part.trim(), `${where} (Cookie)`);
    const m = /^(\w+)\s+(\S+)$/.exec(authorization ?? '');
    if (!m) return;
    this.add(`${m[1]} credential of ${where}`, m[2]);
    if (/^basic$/i.test(m[1]!)) {
      const [user, ...pass] = Buffer.from(m[2]!, 'base64').toString('utf8').split(':');
      this.add(`client secret of ${user} (Basic, ${where})`, pass.join(':'));
    }
  }

  #cookie(pair: string, where: string): void {
    const i = pair.indexOf('=');
    if (i > 0) this.add(`cookie ${pair.slice(0, i)} in ${where}`, pair.slice(i + 1));
  }

  #url(url: string, where: string): void {
    const u = new URL(url, 'http://x');
    for (const params of [u.searchParams, new URLSearchParams(u.hash.slice(1))]) for (const [k, v] of params) if (SECRET_FIELD.test(k) || /session_code|hint/.test(k)) this.add(`${k} in ${where}`, v);
    this.#jwts(url, where);
  }

  #body(text: string, type: string, where: string): void {
    if (!text) return;
    if (/x-www-form-urlencoded/i.test(type)) for (const [k, v] of new URLSearchParams(text)) if (SECRET_FIELD.test(k) || /hint/.test(k)) this.add(`${k} in ${where}`, v);
    if (/json/i.test(type)) {
      try {
        this.#json(JSON.parse(text), where);
      } catch {
        // not JSON after all: the JWT scan below still sees it
      }
    }
    this.#jwts(text, where);
  }

  #json(v: unknown, where: string, key = ''): void {
    if (typeof v === 'string' && SECRET_FIELD.test(key) && !NOT_SECRET_FIELD.test(key)) this.add(`${key} in ${where}`, v);
    else if (Array.isArray(v)) v.forEach((x) => this.#json(x, where, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.#json(x, where, k);
  }

  #jwts(text: string, where: string): void {
    for (const m of text.matchAll(JWT)) this.add(`JWT in ${where}`, m[0]);
  }
}
