// The contracts as rules: each schema accepts what the platform contract promises and rejects the
// failures the runbook names; violations say where, which rule, what was wanted and what came.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractLoadError, DEFAULT_CONTRACTS_DIR, loadContracts, type Contracts } from '../../src/contracts/index.ts';

const U1 = '6f1c1a9e-3a53-4a3e-8d2e-1b8f0e4c2a11';
const U2 = '0b7e2c4d-9f1a-4b6c-8e3d-2a5f7c9e1b30';
const U3 = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
const AT = '2026-03-01T12:00:00.000Z';
const CORR = 'a1b2c3d4-0000-4000-8000-000000000001';

const check = (name: string, ok = true) => ({ name, expected: 'x', actual: ok ? 'x' : 'y', ok });
const token = { id: U1, name: 'agents', tenant_id: U2, prefix: 'oet_abcdefgh', expires_at: AT, created_at: AT, created_by: 'alice' };
const scim = { id: U3, tenant_id: U2, name: 'Corporate Okta', provider: 'okta', created_at: AT, created_by: 'alice' };

/** One document per schema that keeps the contract. */
const valid: Record<string, unknown> = {
  error: { code: 'invalid_request', message: 'Project context is required.', correlation_id: CORR },
  'idp-error': { error: 'identity_provider_failure', code: 'keycloak_not_configured', detail: 'Tenant admin bootstrap requires Keycloak.', remediation: 'Verify Helm values.', correlation_id: CORR },
  'signup-request': { email: 'new@example.test', password: 'Signup-Passw0rd!', display_name: 'New User' },
  'signup-response': { org_id: U1, user: { id: U2, email: 'new@example.test', display_name: 'New User' }, tenant_id: U3, project_id: U1, role: 'tenant_admin' },
  session: { user_id: U2, email: 'new@example.test', display_name: 'New User', role: 'tenant_admin', org_id: U1, tenant_id: U3, project_id: U1, projects: [{ id: U1, name: 'default', is_default: true, role: 'owner' }] },
  project: { id: U1, tenant_id: U2, name: 'p', is_default: false, role: 'owner', created_at: AT },
  'project-list': { projects: [{ id: U1, tenant_id: U2, name: 'default', is_default: true, role: 'owner' }] },
  'project-member-request': { user_id: 'bob', role: 'member' },
  'project-member': { project_id: U1, user_id: 'bob', role: 'member', created_at: AT },
  'instance-create-request': { name: 'gpu-1', gpu_type: 'a100' },
  instance: { id: U1, project_id: U2, name: 'gpu-1', gpu_type: 'a100', status: 'running', created_by: 'alice', created_at: AT },
  'instance-list': { project_id: U2, instances: [] },
  'tenant-create-request': { name: 'Acme', slug: 'acme' },
  tenant: { id: U1, org_id: U2, slug: 'acme', name: 'Acme', default_project_id: U3, created_at: AT },
  'tenant-list': { tenants: [] },
  'tenant-user-create-request': { user_id: 'acme-admin', display_name: 'Acme Admin', role: 'tenant_admin', email: 'admin@acme.test', initial_password: 'Temporary-Passw0rd!' },
  'tenant-user-created': {
    user: { id: 'acme-admin', org_id: U1, email: 'admin@acme.test', display_name: 'Acme Admin', idp_subject: U3 },
    tenant_id: U2,
    role: 'tenant_admin',
    verification: { ok: true, checks: [check('exists'), check('attributes.tenant_id')] },
  },
  'verify-report': { user_id: 'acme-admin', tenant_id: U2, in_sync: false, checks: [check('exists'), check('email', false)] },
  'audit-log': { entries: [{ id: 1, action: 'user.create', actor_id: 'sysadmin', target_id: 'acme-admin', tenant_id: U2, correlation_id: CORR, payload: { verification: [check('exists')] }, created_at: AT }] },
  'event-list': { events: [{ id: 7, type: 'platform.tenant_user.drift_detected', payload: { user_id: 'acme-admin', tenant_id: U2, checks: [check('email', false)] }, correlation_id: null, created_at: AT }] },
  'enrollment-token-create-request': { name: 'agents' },
  'scim-connection-create-request': { name: 'Corporate Okta', provider: 'entra_id' },
  'scim-connection': scim,
  'scim-connection-list': { connections: [scim] },
  'enrollment-token-created': { ...token, secret: 'oet_0123456789abcdefghijklmnop' },
  'enrollment-token-list': { tokens: [token] },
};

type Doc = Record<string, any>;
const edit = (schema: string, change: (d: Doc) => void): unknown => {
  const d = structuredClone(valid[schema]) as Doc;
  change(d);
  return d;
};

let contracts: Contracts;
beforeAll(async () => {
  contracts = await loadContracts();
});

describe('every schema accepts its sample', () => {
  it('has a sample for every schema but the shared definitions', () => {
    expect(contracts.schemas.map((s) => s.name).filter((n) => n !== 'common').sort()).toEqual(Object.keys(valid).sort());
  });

  it.each(Object.keys(valid))('%s', (name) => {
    expect(contracts.validate(name, valid[name])).toEqual([]);
  });
});

describe('schemas reject what the contract rules out', () => {
  const cases: [string, string, unknown, string][] = [
    ['session without tenant_id (partial session)', 'session', edit('session', (d) => delete d.tenant_id), '/tenant_id'],
    ['session without project_id', 'session', edit('session', (d) => delete d.project_id), '/project_id'],
    ['session with a tenant but no role', 'session', edit('session', (d) => (d.role = null)), '/role'],
    ['session with a tenant and the system_admin role', 'session', edit('session', (d) => (d.role = 'system_admin')), '/role'],
    ['signup without a default project', 'signup-response', edit('signup-response', (d) => (d.project_id = null)), '/project_id'],
    ['enrollment list item carrying the secret', 'enrollment-token-list', edit('enrollment-token-list', (d) => (d.tokens[0].secret = 'oet_leaked')), '/tokens/0/secret'],
    ['enrollment list item carrying the secret hash', 'enrollment-token-list', edit('enrollment-token-list', (d) => (d.tokens[0].secret_hash = 'ab12')), '/tokens/0/secret_hash'],
    ['created enrollment token without its secret', 'enrollment-token-created', edit('enrollment-token-created', (d) => delete d.secret), '/secret'],
    ['SCIM connection of an unknown directory', 'scim-connection-list', edit('scim-connection-list', (d) => (d.connections[0].provider = 'ldap')), '/connections/0/provider'],
    ['422 envelope with an unknown code', 'idp-error', edit('idp-error', (d) => (d.code = 'keycloak_on_fire')), '/code'],
    ['422 envelope without remediation', 'idp-error', edit('idp-error', (d) => delete d.remediation), '/remediation'],
    ['runbook error without correlation_id', 'error', edit('error', (d) => delete d.correlation_id), '/correlation_id'],
    ['400 whose code is not invalid_request', 'error#/$defs/invalidRequest', edit('error', (d) => (d.code = 'membership_denied')), '/code'],
    ['403 with an unknown code', 'error#/$defs/forbidden', edit('error', (d) => (d.code = 'nope')), '/code'],
    ['tenant user created without Keycloak', 'tenant-user-created', edit('tenant-user-created', (d) => (d.user.idp_subject = null)), '/user/idp_subject'],
    ['tenant user created with a red verification row', 'tenant-user-created', edit('tenant-user-created', (d) => (d.verification.checks[1].ok = false)), '/verification/checks/1/ok'],
    ['tenant user created with no evidence', 'tenant-user-created', edit('tenant-user-created', (d) => (d.verification.checks = [])), '/verification/checks'],
    ['verification check without actual', 'tenant-user-created', edit('tenant-user-created', (d) => delete d.verification.checks[0].actual), '/verification/checks/0/actual'],
    ['verify report in sync with a red row', 'verify-report', edit('verify-report', (d) => (d.in_sync = true)), '/checks/1/ok'],
    ['verify report out of sync with only green rows', 'verify-report', edit('verify-report', (d) => (d.checks[1].ok = true)), '/checks'],
    ['tenant user request asking to skip Keycloak', 'tenant-user-create-request', edit('tenant-user-create-request', (d) => (d.skip_keycloak = true)), '/skip_keycloak'],
    ['tenant user request without initial_password', 'tenant-user-create-request', edit('tenant-user-create-request', (d) => delete d.initial_password), '/initial_password'],
    ['tenant user request with a weak password', 'tenant-user-create-request', edit('tenant-user-create-request', (d) => (d.initial_password = 'password')), '/initial_password'],
    ['tenant user request with the member role', 'tenant-user-create-request', edit('tenant-user-create-request', (d) => (d.role = 'member')), '/role'],
    ['user.create audit row without correlation id', 'audit-log', edit('audit-log', (d) => (d.entries[0].correlation_id = null)), '/entries/0/correlation_id'],
    ['user.create audit row without the evidence', 'audit-log', edit('audit-log', (d) => (d.entries[0].payload = {})), '/entries/0/payload/verification'],
    ['drift event without its checks', 'event-list', edit('event-list', (d) => delete d.events[0].payload.checks), '/events/0/payload/checks'],
    ['tenant with a malformed id', 'tenant', edit('tenant', (d) => (d.id = 'tenant-1')), '/id'],
    ['instance list without project_id', 'instance-list', edit('instance-list', (d) => delete d.project_id), '/project_id'],
    ['signup request without display_name', 'signup-request', edit('signup-request', (d) => delete d.display_name), '/display_name'],
  ];

  it.each(cases)('%s', (_title, schema, doc, path) => {
    const violations = contracts.validate(schema, doc);
    expect(violations.map((v) => v.instancePath)).toContain(path);
  });
});

describe('violations say where, which rule, what was wanted and what came', () => {
  it.each([
    ['a missing property', 'session', edit('session', (d) => delete d.tenant_id),
      { instancePath: '/tenant_id', schemaPath: 'session.schema.json#/required', expected: 'required property "tenant_id"', actual: 'missing' }],
    ['a wrong type', 'tenant-user-created', edit('tenant-user-created', (d) => (d.user.idp_subject = null)),
      { instancePath: '/user/idp_subject', schemaPath: 'tenant-user-created.schema.json#/properties/user/properties/idp_subject/type', expected: 'type string', actual: null }],
    ['a value outside an enum', 'tenant-user-create-request', edit('tenant-user-create-request', (d) => (d.role = 'owner')),
      { instancePath: '/role', schemaPath: 'common.schema.json#/$defs/tenantUserRole/enum', expected: 'one of [tenant_admin, operator, auditor]', actual: 'owner' }],
    ['a forbidden property, its value redacted', 'enrollment-token-list', edit('enrollment-token-list', (d) => (d.tokens[0].secret = 'oet_leaked')),
      { instancePath: '/tokens/0/secret', schemaPath: 'enrollment-token-list.schema.json#/$defs/listedToken/properties/secret/false schema', expected: 'no property "secret"', actual: '[redacted]' }],
    ['a format inside a shared definition', 'session', edit('session', (d) => (d.org_id = 'org-1')),
      { instancePath: '/org_id', schemaPath: 'common.schema.json#/$defs/uuid/format', expected: 'format uuid', actual: 'org-1' }],
    ['a rule inside a referenced definition', 'tenant-user-created', edit('tenant-user-created', (d) => (d.verification.ok = false)),
      { instancePath: '/verification/ok', schemaPath: 'tenant-user-created.schema.json#/properties/verification/properties/ok/const', expected: 'equal to true', actual: false }],
    ['a status-specific code', 'error#/$defs/invalidRequest', edit('error', (d) => (d.code = 'membership_denied')),
      { instancePath: '/code', schemaPath: 'error.schema.json#/$defs/invalidRequest/properties/code/const', expected: 'equal to invalid_request', actual: 'membership_denied' }],
  ])('%s', (_title, schema, doc, want) => {
    expect(contracts.validate(schema, doc)).toContainEqual(expect.objectContaining(want));
  });

  it('writes one line with path, expectation and value', () => {
    const [v] = contracts.validate('idp-error', edit('idp-error', (d) => (d.code = 'keycloak_on_fire')));
    expect(v!.message).toBe('/code: expected one of [keycloak_not_configured, keycloak_admin_credentials_missing, keycloak_verification_failed, keycloak_unavailable], actual "keycloak_on_fire"');
  });

  it('never shows a password in actual', () => {
    const vs = contracts.validate('tenant-user-create-request', edit('tenant-user-create-request', (d) => (d.initial_password = 'weakpass')));
    expect(vs.length).toBeGreaterThan(0);
    expect(JSON.stringify(vs)).not.toContain('weakpass');
  });

  it('names every schema by $id, file name or name', () => {
    const doc = edit('session', (d) => delete d.tenant_id);
    for (const ref of ['session', 'session.schema.json', 'https://onramp.dev/contracts/session.schema.json']) expect(contracts.validate(ref, doc)).toHaveLength(1);
    expect(() => contracts.validate('no-such', {})).toThrow(/no schema "no-such"/);
  });
});

describe('the openapi index', () => {
  const platformOperations = [
    'personalSignup', 'getSession', 'listProjects', 'createProject', 'addProjectMember', 'removeProjectMember',
    'listInstances', 'createInstance', 'deleteInstance', 'createTenant', 'listTenants', 'getTenant', 'deleteTenant',
    'createTenantUser', 'verifyTenantUser', 'removeTenantUser', 'deleteUser', 'listAudit', 'listEvents',
    'createEnrollmentToken', 'listEnrollmentTokens', 'createScimConnection', 'listScimConnections', 'removeScimConnection',
  ];

  it('has one operation per platform endpoint', () => {
    expect(contracts.operations.map((o) => o.operationId).sort()).toEqual([...platformOperations].sort());
  });

  it('refers only to schemas that exist, and each compiles', async () => {
    const doc = JSON.parse(await readFile(join(DEFAULT_CONTRACTS_DIR, 'openapi.json'), 'utf8'));
    const refs = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string' && !x.startsWith('#')) refs.add(x);
          else collect(x);
        }
      }
    };
    collect(doc);
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      const [file, fragment] = ref.split('#');
      await expect(readFile(join(DEFAULT_CONTRACTS_DIR, file!), 'utf8')).resolves.toBeTruthy();
      expect(() => contracts.validate(`${file!.replace(/^schemas\//, '')}${fragment ? `#${fragment}` : ''}`, null)).not.toThrow();
    }
  });

  it('documents a success status with a body schema, or 204, for every operation', () => {
    for (const op of contracts.operations) expect(op.statuses.some((s) => /^2/.test(s)), op.operationId).toBe(true);
  });

  it.each([
    ['POST', '/api/v1/auth/personal/signup', 'personalSignup', '/api/v1/auth/personal/signup'],
    ['get', '/api/v1/session?x=1', 'getSession', '/api/v1/session'],
    ['GET', 'http://platform.test:8080/api/v1/session/', 'getSession', '/api/v1/session'],
    ['POST', `/api/v1/admin/tenants/${U1}/users`, 'createTenantUser', '/api/v1/admin/tenants/{tenant_id}/users'],
    ['POST', `/api/v1/admin/tenants/${U1}/users/acme-admin/verify`, 'verifyTenantUser', '/api/v1/admin/tenants/{tenant_id}/users/{user_id}/verify'],
    ['DELETE', `/api/v1/admin/tenants/${U1}/users/acme-admin`, 'removeTenantUser', '/api/v1/admin/tenants/{tenant_id}/users/{user_id}'],
    ['GET', `/api/v1/admin/tenants/${U1}`, 'getTenant', '/api/v1/admin/tenants/{tenant_id}'],
    ['DELETE', `/api/v1/instances/${U1}`, 'deleteInstance', '/api/v1/instances/{id}'],
    ['GET', '/api/v1/admin/audit?correlation_id=abc', 'listAudit', '/api/v1/admin/audit'],
  ])('%s %s is %s', (method, path, operationId, pathTemplate) => {
    expect(contracts.operationFor(method, path)).toEqual({ operationId, pathTemplate });
  });

  it.each([
    ['PUT', '/api/v1/session'],
    ['GET', '/api/v1/admin/tenants/x/users'],
    ['POST', '/api/v1/admin/tenants//users'],
    ['GET', '/api/v1/sessions'],
  ])('%s %s is no operation', (method, path) => {
    expect(contracts.operationFor(method, path)).toBeUndefined();
    expect(contracts.validateResponse({ method, path, status: 200, body: {} })).toEqual({ violations: [], unknownOperation: true });
  });

  it('checks a response against the schema of its status', () => {
    const res = contracts.validateResponse({ method: 'GET', path: '/api/v1/instances', status: 400, body: edit('error', (d) => (d.code = 'membership_denied')) });
    expect(res).toMatchObject({ operationId: 'listInstances', schema: 'https://onramp.dev/contracts/error.schema.json#/$defs/invalidRequest' });
    expect(res.violations.map((v) => v.expected)).toEqual(['equal to invalid_request']);
    expect(contracts.validateResponse({ method: 'GET', path: '/api/v1/session', status: 200, body: valid.session }).violations).toEqual([]);
  });

  it('flags a status the operation does not document', () => {
    expect(contracts.validateResponse({ method: 'GET', path: '/api/v1/session', status: 500, body: { code: 'internal_error' } }))
      .toEqual({ operationId: 'getSession', violations: [], undocumentedStatus: true });
  });

  it('wants no body on a 204 and a body where a schema is documented', () => {
    expect(contracts.validateResponse({ method: 'DELETE', path: `/api/v1/admin/tenants/${U1}`, status: 204, body: undefined }).violations).toEqual([]);
    expect(contracts.validateResponse({ method: 'DELETE', path: `/api/v1/admin/tenants/${U1}`, status: 204, body: { ok: true } }).violations[0]).toMatchObject({ expected: 'no body' });
    expect(contracts.validateResponse({ method: 'GET', path: '/api/v1/session', status: 200, body: undefined }).violations[0]).toMatchObject({ expected: 'a JSON body (session.schema.json)', actual: 'missing' });
  });

  it('checks request bodies too', () => {
    const res = contracts.validateRequest({ method: 'POST', path: `/api/v1/admin/tenants/${U1}/users`, body: edit('tenant-user-create-request', (d) => (d.keycloak = false)) });
    expect(res).toMatchObject({ operationId: 'createTenantUser', violations: [expect.objectContaining({ instancePath: '/keycloak', expected: 'no property "keycloak"' })] });
  });
});

describe('a contract folder of your own', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onramp-contracts-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function folder(name: string, files: Record<string, unknown>): Promise<string> {
    const root = join(dir, name);
    await mkdir(join(root, 'schemas'), { recursive: true });
    for (const [file, content] of Object.entries(files)) await writeFile(join(root, file), typeof content === 'string' ? content : JSON.stringify(content));
    return root;
  }
  const S = 'https://json-schema.org/draft/2020-12/schema';
  const openapi = (paths: Record<string, unknown>) => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths });
  const ok = (ref: string) => ({ 200: { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } });

  it('loads and validates with its own schemas and ids', async () => {
    const root = await folder('good', {
      'schemas/thing.schema.json': { $schema: S, $id: 'https://example.test/thing.schema.json', type: 'object', required: ['n'], properties: { n: { $ref: 'defs.schema.json#/$defs/n' } } },
      'schemas/defs.schema.json': { $schema: S, $id: 'https://example.test/defs.schema.json', $defs: { n: { type: 'integer' } } },
      'openapi.json': openapi({ '/things/{id}': { get: { operationId: 'getThing', responses: ok('schemas/thing.schema.json') } } }),
    });
    const own = await loadContracts(root);
    expect(own.operationFor('GET', '/things/7')).toEqual({ operationId: 'getThing', pathTemplate: '/things/{id}' });
    expect(own.validateResponse({ method: 'GET', path: '/things/7', status: 200, body: { n: 'x' } }).violations).toEqual([
      expect.objectContaining({ instancePath: '/n', schemaPath: 'defs.schema.json#/$defs/n/type', expected: 'type integer', actual: 'x' }),
    ]);
  });

  it('reports every problem, each named by its file', async () => {
    const root = await folder('bad', {
      'schemas/broken.schema.json': '{ "type": "object", ',
      'schemas/wrong-keyword.schema.json': { $schema: S, $id: 'https://example.test/w.schema.json', type: 'strin' },
      'schemas/dangling.schema.json': { $schema: S, $id: 'https://example.test/d.schema.json', $ref: 'nowhere.schema.json' },
      'schemas/old-draft.schema.json': { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://example.test/o.schema.json' },
      'schemas/ok.schema.json': { $schema: S, $id: 'https://example.test/ok.schema.json', type: 'object' },
      'schemas/twin.schema.json': { $schema: S, $id: 'https://example.test/ok.schema.json', type: 'object' },
      'openapi.json': openapi({
        '/a': { get: { operationId: 'getA', responses: ok('schemas/missing.schema.json') } },
        '/b': { get: { responses: ok('schemas/ok.schema.json#/$defs/none') } },
        '/c': { get: { operationId: 'getA', responses: ok('https://example.test/unknown.schema.json') } },
      }),
    });
    const err = await loadContracts(root).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContractLoadError);
    const problems = (err as ContractLoadError).problems;
    const by = (file: string) => problems.filter((p) => p.file === file).map((p) => `${p.where ?? ''} ${p.message}`).join('\n');
    expect(by('schemas/broken.schema.json')).toMatch(/invalid JSON/);
    expect(by('schemas/wrong-keyword.schema.json')).toMatch(/not a valid JSON Schema: schema\/type/);
    expect(by('schemas/dangling.schema.json')).toMatch(/can't resolve reference nowhere\.schema\.json/);
    expect(by('schemas/old-draft.schema.json')).toMatch(/only JSON Schema 2020-12/);
    expect(by('schemas/twin.schema.json')).toMatch(/already used by schemas\/ok\.schema\.json/);
    expect(by('openapi.json')).toMatch(/paths\.\/a\.get\.responses\.200\.content\.application\/json\.schema \$ref schemas\/missing\.schema\.json: no schema file schemas\/missing\.schema\.json/);
    expect(by('openapi.json')).toMatch(/paths\.\/b\.get operationId is missing/);
    expect(by('openapi.json')).toMatch(/\$ref schemas\/ok\.schema\.json#\/\$defs\/none: no such location in schemas\/ok\.schema\.json/);
    expect(by('openapi.json')).toMatch(/operationId getA is also used by paths\.\/a\.get/);
    expect(by('openapi.json')).toMatch(/unknown\.schema\.json: no schema in .* has this \$id/);
    expect(problems).toHaveLength(10);
    expect((err as Error).message).toMatch(/has 10 problems:\n {2}- schemas\/broken\.schema\.json: invalid JSON/);
  });

  it('says so when openapi.json is missing or not JSON', async () => {
    const missing = await folder('no-openapi', { 'schemas/a.schema.json': { $schema: S, type: 'object' } });
    await expect(loadContracts(missing)).rejects.toMatchObject({ problems: [{ file: 'openapi.json', message: 'file not found' }] });
    const garbled = await folder('bad-openapi', { 'schemas/a.schema.json': { $schema: S, type: 'object' }, 'openapi.json': 'openapi: 3.1.0' });
    await expect(loadContracts(garbled)).rejects.toMatchObject({ problems: [{ file: 'openapi.json', message: expect.stringMatching(/^invalid JSON/) }] });
    await expect(loadContracts(join(dir, 'nothing-here'))).rejects.toThrow(/not a folder/);
  });
});
