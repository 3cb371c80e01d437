// A contract folder the build verified (its digest in dist/src/contracts/verified.json) loads
// without checking and compiling its schemas up front, and then answers every check exactly as the
// same folder loaded with every check does. Any other folder is checked up front as before.
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractLoadError, DEFAULT_CONTRACTS_DIR, loadContracts, type Contracts, type HttpMessage } from '../../src/contracts/index.ts';

const ID = '6f1c1a9e-3a53-4a3e-8d2e-1b8f0e4c2a11';
/** Bodies that keep or break the contracts in many ways: each is checked against every rule. */
const BODIES: unknown[] = [
  undefined,
  '',
  null,
  'a gateway page',
  42,
  [],
  {},
  { code: 'invalid_request', message: 'Project context is required.', correlation_id: 'a1b2c3d4-0000-4000-8000-000000000001' },
  { code: 'membership_denied', message: 7, extra: true },
  { error: 'identity_provider_failure', code: 'keycloak_not_configured', detail: 'x', remediation: 'y', correlation_id: null },
  { id: ID, tenant_id: 'not-a-uuid', name: '', is_default: 'no', role: 'owner', created_at: 'yesterday', secret: 'hunter2' },
  { projects: [{ id: ID, tenant_id: ID, name: 'default', is_default: true, role: 'owner' }, { id: 1 }] },
  { user_id: ID, email: 'new@example.test', display_name: 'New User', role: 'tenant_admin', org_id: ID, tenant_id: ID, project_id: ID, projects: [] },
  { tenants: [{ id: ID, org_id: ID, slug: 'Acme!', name: 'Acme', default_project_id: ID, created_at: '2026-03-01T12:00:00.000Z' }] },
  { entries: [{ id: 1, action: 'user.create', payload: { verification: [{ name: 'exists', ok: 'yes' }] } }] },
  { tokens: [{ id: ID, name: 'agents', prefix: 'nope', secret: 'oet_x' }] },
];
const STATUSES = [200, 201, 204, 400, 401, 403, 404, 409, 422, 500, 502, 503];
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, ID);

let full: Contracts;
beforeAll(async () => {
  full = await loadContracts(DEFAULT_CONTRACTS_DIR, { verified: '' });
});

describe('the shipped contract folder, verified', () => {
  it('is the folder the build verified, unless it changed after the build', async () => {
    // Built by the tests' global setup (test/support/build-dist.ts) when a source changed since.
    const built = JSON.parse(await readFile(new URL('../../dist/src/contracts/verified.json', import.meta.url), 'utf8')) as { digest: string };
    expect(built.digest).toMatch(/^[0-9a-f]{64}$/);
    const files = [join(DEFAULT_CONTRACTS_DIR, 'openapi.json'), ...full.schemas.map((s) => join(DEFAULT_CONTRACTS_DIR, 'schemas', `${s.name}.schema.json`))];
    const [at, ...edited] = await Promise.all([new URL('../../dist/.built', import.meta.url), ...files].map((f) => stat(f)));
    if (edited.every((e) => e.mtimeMs < at!.mtimeMs)) expect(built.digest).toBe(full.digest);
  });

  it('loads with nothing compiled, where a full load compiles every schema', async () => {
    const lazy = await loadContracts(DEFAULT_CONTRACTS_DIR, { verified: full.digest });
    expect([lazy.verified, full.verified]).toEqual([true, false]);
    expect(lazy.compiledCount).toBe(0);
    expect(full.compiledCount).toBeGreaterThan(10);
    expect(lazy.operations).toEqual(full.operations);
    expect(lazy.schemas).toEqual(full.schemas);
  });

  it('compiles a schema when a body first needs it, and once', async () => {
    const lazy = await loadContracts(DEFAULT_CONTRACTS_DIR, { verified: full.digest });
    const res = { method: 'GET', path: '/api/v1/session', status: 200, body: {} };
    expect(lazy.validateResponse(res)).toEqual(full.validateResponse(res));
    const after = lazy.compiledCount;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(full.compiledCount);
    lazy.validateResponse(res);
    expect(lazy.compiledCount).toBe(after);
  });

  it('answers every response, request and schema check as the fully checked load does, in any order', async () => {
    const lazy = await loadContracts(DEFAULT_CONTRACTS_DIR, { verified: full.digest });
    const calls: (HttpMessage & { status: number })[] = [];
    for (const op of full.operations) for (const status of STATUSES) for (const body of BODIES) calls.push({ method: op.method, path: concrete(op.pathTemplate), status, body });
    // Backwards: the lazy load compiles in another order than the full one did.
    for (const call of [...calls].reverse()) {
      expect(lazy.validateResponse(call), `${call.method} ${call.path} ${call.status}`).toEqual(full.validateResponse(call));
      expect(lazy.validateRequest(call)).toEqual(full.validateRequest(call));
    }
    for (const { name } of [...full.schemas].reverse()) for (const body of BODIES) expect(lazy.validate(name, body)).toEqual(full.validate(name, body));
    expect(calls.filter((c) => full.validateResponse(c).violations.length).length).toBeGreaterThan(100);
  });
});

describe('a folder the build did not verify', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-verified-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is checked up front, even when it differs from a verified one by one schema only', async () => {
    const root = join(dir, 'edited');
    await cp(DEFAULT_CONTRACTS_DIR, root, { recursive: true });
    const file = join(root, 'schemas/session.schema.json');
    const session = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...session, properties: { ...(session.properties as object), role: { $ref: 'nowhere.schema.json' } } }));
    const err = await loadContracts(root, { verified: full.digest }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractLoadError);
    expect((err as ContractLoadError).problems).toEqual([expect.objectContaining({ file: 'schemas/session.schema.json', message: expect.stringMatching(/^does not compile: can't resolve reference nowhere\.schema\.json/) })]);
  });

  it('is the same folder by its files alone: a verbatim copy loads verified', async () => {
    const root = join(dir, 'copy');
    await cp(DEFAULT_CONTRACTS_DIR, root, { recursive: true });
    await mkdir(join(root, 'notes'), { recursive: true });
    await writeFile(join(root, 'notes/README.md'), 'not a contract file');
    const copy = await loadContracts(root, { verified: full.digest });
    expect([copy.digest, copy.verified, copy.compiledCount]).toEqual([full.digest, true, 0]);
  });
});
