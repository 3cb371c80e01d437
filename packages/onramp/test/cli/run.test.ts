// `onramp run` as CI uses it: exit codes, reports that validate, usage errors named all at once,
// an unreachable target as a named failure, and no secret in any output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { runCli } from '../support/spawn-cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A config whose one target answers nowhere (port 9), every secret read from `secretFile`. */
const unreachableTarget = (name: string, secretFile: string) => `targets:
  ${name}:
    api_url: http://127.0.0.1:9
    idp_url: http://127.0.0.1:9
    realm: sandbox
    login_client: { client_id: onramp-canary, client_secret: { file: ${secretFile} } }
    admin_client: { client_id: platform-admin, client_secret: { file: ${secretFile} } }
    system_admin: { username: sysadmin, password: { file: ${secretFile} } }
`;

const SECRETS = ['sandbox-admin-secret', 'sandbox-canary-secret', 'Sandbox-Admin-2026!', 'sandbox-console-secret'];

describe('onramp run', () => {
  it('runs every API journey against the embedded sandbox: exit 0, results.json and junit.xml valid, no secrets anywhere', async () => {
    const out = join(dir, 'sandbox');
    const { code, stdout, stderr } = await runCli(['run', '--target', 'sandbox', '--reporter', 'console,json,junit', '--output', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/journeys: \d+ passed, 0 failed, 0 flaky, 0 error/);

    const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(fileURLToPath(new URL('../../contracts/report.schema.json', import.meta.url)), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.journeys.length).toBeGreaterThanOrEqual(6);
    expect(report.journeys.every((j: { status: string }) => j.status === 'passed')).toBe(true);
    // db steps run on the embedded default too, through the sandbox's own connection.
    const dbSteps = report.journeys.flatMap((j: { id: string; steps: { name: string; kind: string; status: string }[] }) => j.steps.filter((st) => st.kind === 'db').map((st) => `${j.id} > ${st.name}: ${st.status}`));
    expect(dbSteps).toEqual(expect.arrayContaining(['personal-signup > bootstrap rows exist: passed', 'tenant-admin-bootstrap > memberships and user row committed: passed']));
    expect(dbSteps.filter((x: string) => !x.endsWith(': passed'))).toEqual([]);
    expect(stdout).toMatch(/\d+ steps: \d+ passed, 0 failed, 0 error, \d+ skipped/);

    const { stderr: lint } = await promisify(execFile)('xmllint', ['--noout', '--schema', fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url)), join(out, 'junit.xml')]);
    expect(lint).toContain('validates');

    const files = await readdir(out);
    const everything = [stdout, stderr, ...(await Promise.all(files.map((f) => readFile(join(out, f), 'utf8'))))].join('\n');
    for (const s of SECRETS) expect(everything).not.toContain(s);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/);
  }, 120_000);

  it('fails with exit 1 and names the symptom when a fault is on', async () => {
    const out = join(dir, 'fault');
    const { code, stdout } = await runCli(['run', '--journey', 'project-scope', '--fault', 'project_header_dropped', '--reporter', 'console,json', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toContain('project_context_required_despite_header');
    const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const failing = report.journeys[0].steps.find((s: { status: string }) => s.status === 'failed');
    expect(failing.correlation_id).toMatch(/[0-9a-f-]{36}/);
    // Where it ran and what was on, and the failed exchange's answer (redacted), for whoever reads it later.
    expect(report.run).toMatchObject({ onramp_version: expect.stringMatching(/^\d+\.\d+\.\d+/), target_urls: { api: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), idp: expect.any(String), console: expect.any(String) }, faults: ['project_header_dropped'] });
    expect(failing.requests.at(-1).response_body).toContain('"code":"invalid_request"');
    const passed = report.journeys[0].steps.find((s: { status: string; kind: string }) => s.status === 'passed' && s.kind === 'http');
    expect(passed.requests.every((r: object) => !('response_body' in r))).toBe(true);
  }, 120_000);

  it('reports every usage and config problem at once with exit 2', async () => {
    const config = join(dir, 'bad.yaml');
    await writeFile(config, 'targets:\n  staging:\n    api_url: nope\n');
    const bad = await runCli(['run', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('targets.staging.api_url: must be an http(s) URL');
    expect(bad.stderr).toContain('targets.staging: missing required field "idp_url"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const usage = await runCli(['run', '--target', 'staging', '--reporter', 'console,tap', '--journey', 'nope', '--retries', 'x', '--fault', 'idp_down']);
    expect(usage.code).toBe(2);
    for (const text of ['--target: no target named "staging"', '--fault: faults exist only in a sandbox', '--retries:', '--reporter: unknown reporter tap', '--journey: no journey with id "nope"']) {
      expect(usage.stderr).toContain(text);
    }
  });

  it('reports an unreachable target as a named failure, not a crash', async () => {
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, 'unreachable-secret-value');
    const config = join(dir, 'unreachable.yaml');
    await writeFile(config, unreachableTarget('down', secretFile));
    const { code, stdout, stderr } = await runCli(['run', '--config', config, '--target', 'down', '--journey', 'personal-signup', '--output', join(dir, 'down')]);
    expect(code).toBe(1);
    expect(stdout).toContain('target_unreachable');
    expect(`${stdout}${stderr}`).not.toContain('unreachable-secret-value');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("runs a config's own TypeScript journeys, whose failures count as the journey's own", async () => {
    // Outside the checkout, importing onramp's API by path: the CLI runs compiled (dist/), these
    // through tsx, each with its own copy of the engine's modules.
    const journeys = join(dir, 'own-journeys');
    const engine = new URL('../../src/engine/', import.meta.url).href;
    await mkdir(journeys, { recursive: true });
    await writeFile(join(journeys, 'package.json'), '{ "type": "module" }');
    await writeFile(
      join(journeys, 'own-check.journey.ts'),
      `import { defineJourney, http } from '${engine}journey.ts';
import { StepFailure } from '${engine}failure.ts';
// A code of the failure catalogue that the engine never gives this step: it can only be the journey's.
const code = 'session_wrong_user';
export default defineJourney({
  id: 'own-check',
  title: 'a journey of the config',
  steps: [
    http('health answers', { request: () => ({ method: 'GET', path: '/healthz' }), contract: false, then: () => { throw new StepFailure(code, 'thrown by the journey', 'x', 'y'); } }),
  ],
});
`,
    );
    const config = join(dir, 'own.yaml');
    // No target: the run is on the embedded sandbox; only the config's own journeys, not the built-in ones.
    await writeFile(config, `journeys: { dir: ${journeys}, builtin: false }\n`);
    const out = join(dir, 'own');
    const { code, stdout, stderr } = await runCli(['run', '--config', config, '--reporter', 'json', '--output', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(report.journeys.map((j: { id: string }) => j.id)).toEqual(['own-check']);
    const step = report.journeys[0].attempts[0].steps[0];
    expect([step.status, step.code, step.message]).toEqual(['failed', 'session_wrong_user', 'thrown by the journey']);

    // Without "type": "module", Node and tsx load the file as CommonJS, which cannot share onramp's modules.
    await rm(join(journeys, 'package.json'));
    const cjs = await runCli(['run', '--config', config, '--output', join(dir, 'own-cjs')]);
    expect(cjs.code).toBe(2);
    expect(cjs.stderr).toContain('own-check.journey.ts: cannot load: ');
    expect(cjs.stderr).toContain('needs a folder whose package.json says "type": "module"');
  });
});
