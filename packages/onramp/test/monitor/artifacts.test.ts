// The monitor's artifacts on disk and over HTTP: a failed run's screenshot and trace kept under
// <dir>/<journey>/<run_id>/ (a passing run keeps nothing), pruned per journey and by bytes overall,
// re-indexed after a restart; served read-only under /artifacts/ with their content types, every way
// out of the folder refused, and nothing served with serve: false. Real files, a real HTTP server.
import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactDirError, ArtifactStore, incomingDir } from '../../src/monitor/artifact-store.ts';
import { MemoryHistory, historySink } from '../../src/monitor/history.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { startServer } from '../../src/monitor/server.ts';
import type { JourneyStatus, RunResult, StepResult } from '../../src/engine/results.ts';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'onramp-artifacts-'));
  temps.push(d);
  return d;
};

let clock = Date.parse('2026-12-01T00:00:00Z');
/** A run id as the engine makes them: base36 start time first, so later runs sort after. */
const nextRunId = () => `${(clock += 60_000).toString(36)}abcdef`;

/** A finished run of one journey whose failed browser step left a screenshot and a trace (as the executor writes them). */
async function browserRun(dir: string, journey: string, status: JourneyStatus, bytes = 100): Promise<RunResult> {
  const runId = nextRunId();
  const rel = (ext: string) => `artifacts/${journey}/${runId}-a1-03-log-out.${ext}`;
  await mkdir(join(incomingDir(dir), 'artifacts', journey), { recursive: true });
  for (const ext of ['png', 'trace.zip']) await writeFile(join(incomingDir(dir), rel(ext)), Buffer.alloc(bytes, 1));
  const failed = status !== 'passed';
  const step: StepResult = {
    id: 'log-out', name: 'log out', kind: 'browser', status: failed ? 'failed' : 'passed', durationMs: 5, checks: [], violations: [], http: [], always: false,
    ...(failed ? { code: 'sso_session_survived_logout', correlationId: `c-${runId}` } : {}),
    artifacts: [{ kind: 'screenshot', path: rel('png') }, { kind: 'trace', path: rel('trace.zip') }],
  };
  return {
    runId, target: 'sandbox', startedAt: new Date(clock).toISOString(), finishedAt: new Date(clock + 1000).toISOString(), durationMs: 1000, status: failed ? 'failed' : 'passed',
    journeys: [{ id: journey, title: journey, tags: [], status, durationMs: 1000, attempts: [{ attempt: 1, status: failed ? 'failed' : 'passed', durationMs: 1000, steps: [step] }] }],
  };
}

const listRuns = async (dir: string, journey: string) => (await readdir(join(dir, journey)).catch(() => [])).sort();

describe('artifact store', () => {
  it('moves a failed run\'s files into its folder and rewrites their paths; a passing run keeps nothing, nor one passed on retry', async () => {
    const dir = await tempDir();
    const reported: number[] = [];
    const store = await ArtifactStore.open({ dir, keepFailedRuns: 20, maxBytes: 1e9 }, (b) => reported.push(b));
    const failed = await browserRun(dir, 'switch-user-login', 'failed');
    await store.keep(failed);
    const id = failed.runId;
    expect(failed.journeys[0]!.attempts[0]!.steps[0]!.artifacts).toEqual([
      { kind: 'screenshot', path: `switch-user-login/${id}/a1-03-log-out.png` },
      { kind: 'trace', path: `switch-user-login/${id}/a1-03-log-out.trace.zip` },
    ]);
    expect(await readdir(join(dir, 'switch-user-login', id))).toEqual(['a1-03-log-out.png', 'a1-03-log-out.trace.zip']);
    expect(store.has(`switch-user-login/${id}/a1-03-log-out.png`)).toBe(true);
    expect(store.bytes).toBe(200);
    for (const outcome of ['passed', 'flaky', 'interrupted'] as const) await store.keep(await browserRun(dir, 'switch-user-login', outcome));
    expect(await listRuns(dir, 'switch-user-login')).toEqual([id]);
    expect(await readdir(join(incomingDir(dir), 'artifacts', 'switch-user-login'))).toEqual([]);
    expect(reported.at(-1)).toBe(200);
  });

  it.each([
    ['keep_failed_runs per journey', { keepFailedRuns: 2, maxBytes: 1e9 }, { a: 2, b: 2 }],
    ['max_bytes overall, the oldest of any journey first', { keepFailedRuns: 20, maxBytes: 5 * 200 }, { a: 2, b: 3 }],
  ])('prunes by %s', async (_, limits, left) => {
    const dir = await tempDir();
    const store = await ArtifactStore.open({ dir, ...limits });
    const ids: Record<string, string[]> = { a: [], b: [] };
    // Interleaved: a, b, a, b, ... so the oldest overall alternate between journeys.
    for (let i = 0; i < 5; i++) {
      for (const j of ['a', 'b']) {
        const run = await browserRun(dir, j, 'failed');
        ids[j]!.push(run.runId);
        await store.keep(run);
      }
    }
    expect({ a: await listRuns(dir, 'a'), b: await listRuns(dir, 'b') }).toEqual({ a: ids.a!.slice(-left.a), b: ids.b!.slice(-left.b) });
    expect(store.bytes).toBe((left.a + left.b) * 200);
    expect(store.has(`a/${ids.a![0]}/a1-03-log-out.png`)).toBe(false);
  });

  it('indexes what an earlier process kept (old loose files too), prunes it to the limits, drops unfinished files', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'j', 'moo1aaaaaa'), { recursive: true });
    await mkdir(join(dir, 'j', 'moo3cccccc'), { recursive: true });
    await writeFile(join(dir, 'j', 'moo1aaaaaa', 'x.png'), Buffer.alloc(10));
    await writeFile(join(dir, 'j', 'moo3cccccc', 'x.png'), Buffer.alloc(30));
    // The layout before run folders: `<journey>/<run_id>-....png`.
    await writeFile(join(dir, 'j', 'moo2bbbbbb-a1-01-x.png'), Buffer.alloc(20));
    await mkdir(join(incomingDir(dir), 'artifacts', 'j'), { recursive: true });
    await writeFile(join(incomingDir(dir), 'artifacts', 'j', 'half-written.png'), 'x');
    const store = await ArtifactStore.open({ dir, keepFailedRuns: 2, maxBytes: 1e9 });
    expect(await listRuns(dir, 'j')).toEqual(['moo2bbbbbb-a1-01-x.png', 'moo3cccccc']);
    expect(store.bytes).toBe(50);
    expect(store.has('j/moo3cccccc/x.png')).toBe(true);
    expect(await readdir(incomingDir(dir))).toEqual([]);
  });

  it('names monitor.artifacts.dir when the folder cannot be used', async () => {
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, 'x');
    const err = await ArtifactStore.open({ dir: file, keepFailedRuns: 1, maxBytes: 1 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ArtifactDirError);
    expect((err as Error).message).toBe(`monitor.artifacts.dir: cannot keep artifacts in ${file} (ENOTDIR)`);
  });
});

describe('history sink', () => {
  it('records what a failed step expected and got, its request id and the first five of each page error; nothing extra for a passed step', async () => {
    const dir = await tempDir();
    const run = await browserRun(dir, 'j', 'failed');
    const [failedStep] = run.journeys[0]!.attempts[0]!.steps;
    Object.assign(failedStep!, {
      expected: { status: 200 }, actual: 'x'.repeat(400), requestId: { id: 'r.j.browser.2', sentBy: 'onramp' },
      browser: { failedRequests: Array.from({ length: 7 }, (_, i) => ({ method: 'GET', url: `http://console/${i}`, status: 500, correlationId: `c${i}` })), consoleErrors: [{ text: 'boom', source: 'console' }], signedInAs: 'sysadmin' },
    });
    run.journeys[0]!.attempts[0]!.steps.push({ id: 'cleanup', name: 'cleanup', kind: 'http', status: 'passed', durationMs: 1, checks: [], violations: [], http: [], always: true, expected: 1, actual: 1 });
    const history = new MemoryHistory(5);
    await historySink(history, '').onRunEnd!(run);
    const [failedRecord, passedRecord] = (await history.list({}))[0]!.steps;
    expect(failedRecord).toMatchObject({ expected: '{"status":200}', actual: `${'x'.repeat(299)}…`, request_id: { id: 'r.j.browser.2', sent_by: 'onramp' }, browser: { console_errors: [{ text: 'boom', correlation_id: null }], signed_in_as: 'sysadmin' } });
    expect(failedRecord!.browser!.failed_requests.map((r) => r.correlation_id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(passedRecord).toEqual({ id: 'cleanup', name: 'cleanup', status: 'passed', durationMs: 1 });
  });
});

/** GET with the path exactly as given: fetch() would resolve `..` before sending. */
function rawGet(base: string, path: string): Promise<{ status: number; type?: string; headers: Record<string, unknown>; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

describe('/artifacts/ and the links to it', () => {
  let dir: string;
  let store: ArtifactStore;
  let kept: RunResult;
  const history = new MemoryHistory(50);
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  const serve = async (artifacts: boolean) => {
    const s = await startServer({ metrics: new MonitorMetrics({ processMetrics: false }), store: history, journeys: [{ id: 'j', title: 'J', schedule: '30s' }], isRunning: () => true, busy: () => [], refreshSeconds: 5, ...(artifacts ? { artifacts: store } : {}) }, '127.0.0.1', 0);
    servers.push(s);
    return s.url;
  };
  let url: string;

  beforeAll(async () => {
    const root = await tempDir();
    dir = join(root, 'artifacts');
    await writeFile(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
    store = await ArtifactStore.open({ dir, keepFailedRuns: 1, maxBytes: 1e9 });
    const pruned = await browserRun(dir, 'j', 'failed');
    kept = await browserRun(dir, 'j', 'failed');
    for (const run of [pruned, kept]) {
      await store.keep(run);
      await historySink(history, '').onRunEnd!(run);
    }
    const folder = join(dir, 'j', kept.runId);
    await writeFile(join(folder, 'evidence.json'), '{}');
    await writeFile(join(folder, 'evidence.md'), '# e');
    await writeFile(join(folder, 'report.html'), '<p>r</p>');
    await symlink(root, join(dir, 'j', 'link'));
    url = await serve(true);
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each([
    ['a1-03-log-out.png', 'image/png'],
    ['a1-03-log-out.trace.zip', 'application/zip'],
    ['evidence.json', 'application/json; charset=utf-8'],
    ['evidence.md', 'text/markdown; charset=utf-8'],
    ['report.html', 'text/html; charset=utf-8'],
  ])('serves %s as %s, read-only and sandboxed', async (file, type) => {
    const res = await rawGet(url, `/artifacts/j/${kept.runId}/${file}`);
    expect(res).toMatchObject({ status: 200, type });
    expect(res.headers).toMatchObject({ 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff' });
    expect(res.body.length).toBeGreaterThan(0);
  });

  it.each([
    ['..', '/artifacts/../secret.txt', 400],
    ['.. deeper', '/artifacts/j/../../secret.txt', 400],
    ['encoded ..', '/artifacts/%2e%2e/secret.txt', 400],
    ['encoded .. upper case', '/artifacts/%2E%2E/%2E%2E/etc/passwd', 400],
    ['an absolute path', '/artifacts//etc/passwd', 400],
    ['an encoded slash', '/artifacts/%2Fetc%2Fpasswd', 400],
    ['a backslash', '/artifacts/j/..%5c..%5csecret.txt', 400],
    ['a NUL', '/artifacts/j/x%00.png', 400],
    ['bad percent-encoding', '/artifacts/%zz', 400],
    ['the unfinished files', '/artifacts/.incoming/artifacts/j/x.png', 400],
    ['a symbolic link out', '/artifacts/j/link/secret.txt', 403],
    ['a pruned file', '/artifacts/j/nope/a1-03-log-out.png', 404],
    ['a folder', '/artifacts/j', 404],
  ])('refuses %s (%s): %i, and never the file', async (_, path, status) => {
    const res = await rawGet(url, path);
    expect(res.status).toBe(status);
    expect(res.body.toString()).not.toContain('TOP-SECRET-CONTENT');
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: status === 404 ? 'not_found' : 'invalid_path' });
  });

  it('/api/runs gives each kept artifact its URL, and a pruned one none', async () => {
    const { runs } = (await (await fetch(`${url}/api/runs?journey=j`)).json()) as { runs: { run_id: string; steps: { artifacts?: { kind: string; path: string; url?: string }[] }[] }[] };
    const [newest, oldest] = runs;
    expect(newest!.steps[0]!.artifacts).toEqual([
      { kind: 'screenshot', path: `j/${kept.runId}/a1-03-log-out.png`, url: `/artifacts/j/${kept.runId}/a1-03-log-out.png` },
      { kind: 'trace', path: `j/${kept.runId}/a1-03-log-out.trace.zip`, url: `/artifacts/j/${kept.runId}/a1-03-log-out.trace.zip` },
    ]);
    expect(oldest!.steps[0]!.artifacts!.map((a) => a.url)).toEqual([undefined, undefined]);
  });

  it('the status page shows the kept screenshot and links the trace', async () => {
    const html = await (await fetch(url)).text();
    expect(html).toContain(`<a class="screenshot" href="/artifacts/j/${kept.runId}/a1-03-log-out.png"><img src="/artifacts/j/${kept.runId}/a1-03-log-out.png"`);
    expect(html).toContain(`<a class="trace" href="/artifacts/j/${kept.runId}/a1-03-log-out.trace.zip" download>`);
  });

  it('serve: false serves nothing and links nothing', async () => {
    const off = await serve(false);
    expect((await rawGet(off, `/artifacts/j/${kept.runId}/a1-03-log-out.png`)).status).toBe(404);
    expect(await (await fetch(off)).text()).not.toContain('/artifacts/');
    const { runs } = (await (await fetch(`${off}/api/runs?journey=j&limit=1`)).json()) as { runs: { steps: { artifacts?: { url?: string }[] }[] }[] };
    expect(runs[0]!.steps[0]!.artifacts!.every((a) => a.url === undefined)).toBe(true);
  });
});
