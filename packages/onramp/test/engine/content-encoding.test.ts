// A gateway that compresses the platform's answers: the body is decoded as its Content-Encoding
// says (a chain from the last encoding back) before JSON parsing, the step's checks and the
// contract check, so a compressing gateway passes clean and a compressed contract violation is
// still one. A body that does not decode is the answer's fault (invalid_http_response, with the
// encoding and the reason), never an onramp crash.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runJourneys } from '../../src/engine/runner.ts';
import { defineJourney, http } from '../../src/engine/journey.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const CID = '7d8e3c6a-0f55-4b8e-9d0a-5b2f0c1e9a77';
const SESSION = { user_id: 'u-1', email: 'u@example.com', display_name: 'U', role: 'tenant_admin', org_id: '3f2c7a52-7d55-4c3f-9a51-0c1f4f9a2b11', tenant_id: '0b7c1f7e-2a51-4c8e-9b3a-7f1e2d3c4b5a', project_id: '5a1e2d3c-4b5a-4c8e-9b3a-0b7c1f7e2a51', projects: [] };
const { tenant_id: _dropped, ...PARTIAL } = SESSION;

const ENCODE: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, 'x-gzip': gzipSync, deflate: deflateSync, br: brotliCompressSync, identity: (b) => b };

/** The body encoded as `encoding` lists it: the first applied first. */
const encode = (body: Buffer, encoding: string) => encoding.split(',').map((e) => e.trim()).reduce((b, e) => ENCODE[e.toLowerCase()]!(b), body);

// The test asks for the answer in the query: `enc` the Content-Encoding, `body` what is sent as it.
const api = useLocalApi((req, res) => {
  req.resume();
  const q = new URL(req.url!, 'http://x').searchParams;
  const json = Buffer.from(JSON.stringify(q.get('partial') ? PARTIAL : SESSION));
  const enc = q.get('enc')!;
  const BODIES: Record<string, () => Buffer> = {
    'raw-deflate': () => deflateRawSync(json),
    garbage: () => Buffer.from('not compressed at all'),
    truncated: () => encode(json, enc).subarray(0, 20),
    // 65 MiB of zeros in about 300 KB: a body that expands past the 64 MiB onramp decodes.
    bomb: () => gzipSync(Buffer.alloc(65 * 1024 * 1024), { level: 1 }),
  };
  const body = (BODIES[q.get('body') ?? ''] ?? (() => encode(json, enc)))();
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc, 'x-correlation-id': CID }).end(body);
});

async function sessionStep(query: Record<string, string>) {
  const run = await runJourneys({
    journeys: [defineJourney({ id: 'j', title: 'compressed', steps: [http('session', { request: () => ({ method: 'GET', path: `/api/v1/session?${new URLSearchParams(query)}`, token: 't' }), expect: { status: 200, failureCode: 'session_unavailable' }, then: (res, ctx) => void ctx.check('session email', res.body.email, 'u@example.com', { code: 'session_wrong_user' }) })] })],
    target: targetAt(api.url),
    executors: [api.executor],
  });
  return run.journeys[0]!.attempts[0]!.steps[0]!;
}

describe('Content-Encoding', () => {
  it.each([['gzip'], ['x-gzip'], ['deflate'], ['br'], ['identity'], ['gzip, br'], ['deflate, gzip'], ['GZIP']])('a body in %s is decoded, checked and passes the contract', async (enc) => {
    const step = await sessionStep({ enc });
    expect({ status: step.status, code: step.code, violations: step.violations, correlationId: step.correlationId }).toEqual({ status: 'passed', code: undefined, violations: [], correlationId: CID });
  });

  it('a raw deflate stream (no zlib header), as some servers send it, is decoded too', async () => {
    const step = await sessionStep({ enc: 'deflate', body: 'raw-deflate' });
    expect(step.status).toBe('passed');
  });

  it('a compressed answer that breaks the contract is a contract_violation naming the path, not a decoding problem', async () => {
    const step = await sessionStep({ enc: 'gzip, br', partial: '1' });
    expect({ code: step.code, paths: step.violations.map((v) => v.instancePath) }).toEqual({ code: 'contract_violation', paths: ['/tenant_id'] });
  });

  it.each([
    ['a body that is not gzip at all', { enc: 'gzip', body: 'garbage' }, /^200 content-encoding gzip: gzip: incorrect header check$/],
    ['a truncated brotli body', { enc: 'br', body: 'truncated' }, /^200 content-encoding br: br: /],
    ['the second of a chain broken', { enc: 'gzip, br', body: 'truncated' }, /^200 content-encoding gzip, br: br: /],
    ['a body that expands past 64 MiB', { enc: 'gzip', body: 'bomb' }, /^200 content-encoding gzip: gzip: decodes to more than 64 MiB$/],
    ['an encoding onramp does not decode', { enc: 'compress', body: 'garbage' }, /^200 content-encoding compress: an encoding onramp does not decode \(gzip, x-gzip, deflate, br, identity\)$/],
  ])('%s fails as invalid_http_response, the encoding expected and the reason actual', async (_name, query, actual) => {
    const step = await sessionStep(query);
    expect({ status: step.status, code: step.code, expected: step.expected }).toEqual({ status: 'failed', code: 'invalid_http_response', expected: `a body in ${query.enc}` });
    expect(String(step.actual)).toMatch(actual);
    expect(step.message).not.toMatch(/\n\s+at /);
  });
});
