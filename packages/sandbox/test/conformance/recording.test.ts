import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareResponse, loadRecording, parseRecording, type ActualResponse, type CompareOptions } from './recording.ts';
import { requireReference } from '../support/reference.ts';

const REFERENCE = requireReference();

const USER_READ = `# GET /admin/realms/master/users/{{user_id}}
HTTP/1.1 200 OK
Cache-Control: no-cache
Content-Length: {{volatile}}
Content-Type: application/json;charset=UTF-8

{"id":"{{user_id}}","username":"admin","createdTimestamp":"{{number}}","totp":false,"tags":"{{array}}","access":{"manage":true},"self":{"id":"{{user_id}}"}}`;

const CREATED = `# POST /admin/realms/master/users
HTTP/1.1 201 Created
Content-Length: {{volatile}}
Location: {{issuer}}/admin/realms/master/users/{{uuid}}

`;

const ROLES = `# GET /admin/realms/master/roles
HTTP/1.1 200 OK
Content-Type: application/json;charset=UTF-8
Cache-Control: no-cache

[{"id":"{{string}}","name":"offline_access","description":"\${role_offline-access}","composite":false},{"id":"{{string}}","name":"admin","composite":true}]`;

const HTML = `# GET /realms/master/protocol/openid-connect/auth
HTTP/1.1 400 Bad Request
Content-Type: text/html;charset=utf-8

<html><body><p id="kc-error-message">Invalid parameter: redirect_uri</p></body></html>`;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ActualResponse => ({
  status,
  headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const goodUser = { id: 'u1', username: 'admin', createdTimestamp: 1, totp: false, tags: [], access: { manage: true }, self: { id: 'u1' } };

describe('parseRecording', () => {
  it('reads request line, recorded-with, status, headers and the exact body', () => {
    const rec = parseRecording(`# GET /x\n# recorded-with: start-dev --health-enabled\nHTTP/1.1 404 Not Found\nContent-Type: application/json\n\n{"error":"x"}`);
    expect(rec).toMatchObject({ method: 'GET', path: '/x', recordedWith: 'start-dev --health-enabled', status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"x"}' });
  });

  it('skips the derived-from header line of a derived fixture, and keeps its source', () => {
    const rec = parseRecording(`# POST /y\n# derived-from: services/src/main/java/org/keycloak/X.java\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{}`);
    expect(rec).toMatchObject({ method: 'POST', path: '/y', derivedFrom: 'services/src/main/java/org/keycloak/X.java', status: 400, headers: { 'content-type': 'application/json' }, body: '{}' });
  });

  it('reads an empty body as empty', () => {
    expect(parseRecording(CREATED).body).toBe('');
  });

  it('rejects a file without the request line', () => {
    expect(() => parseRecording('HTTP/1.1 200 OK\n\n')).toThrow(/METHOD path/);
  });

  it('parses every recording in the reference folder', async () => {
    const files = (await readdir(REFERENCE, { recursive: true })).filter((f) => f.endsWith('.http'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const rec = await loadRecording(join(REFERENCE, f));
      expect(rec.status, f).toBeGreaterThanOrEqual(200);
    }
  });
});

describe('compareResponse', () => {
  const cases: { name: string; rec: string; actual: ActualResponse; options?: CompareOptions; problems: (string | RegExp)[] }[] = [
    { name: 'a conforming response', rec: USER_READ, actual: json(200, goodUser), problems: [] },
    { name: 'another status', rec: USER_READ, actual: json(500, goodUser), problems: ['status (500) == 200'] },
    {
      name: 'another Content-Type',
      rec: USER_READ,
      actual: json(200, goodUser, { 'Content-Type': 'application/json' }),
      problems: ['header Content-Type ("application/json") == "application/json;charset=UTF-8"'],
    },
    {
      name: 'a Cache-Control the recording does not have',
      rec: CREATED,
      actual: { status: 201, headers: { Location: 'http://h:1/admin/realms/master/users/0b5e0b4e-1111-4222-8333-444455556666', 'Cache-Control': 'no-cache' }, body: '' },
      options: { issuer: 'http://h:1' },
      problems: ['header Cache-Control ("no-cache") == absent'],
    },
    {
      name: 'Location with {{issuer}} and {{uuid}}, realm substituted',
      rec: CREATED,
      actual: { status: 201, headers: { Location: 'http://h:1/admin/realms/sandbox/users/0b5e0b4e-1111-4222-8333-444455556666' }, body: '' },
      options: { issuer: 'http://h:1', substitutions: { master: 'sandbox' } },
      problems: [],
    },
    {
      name: 'Location on another origin',
      rec: CREATED,
      actual: { status: 201, headers: { Location: 'http://other:2/admin/realms/master/users/0b5e0b4e-1111-4222-8333-444455556666' }, body: '' },
      options: { issuer: 'http://h:1' },
      problems: [/^header Location/],
    },
    {
      name: 'a Location id that is not a uuid',
      rec: CREATED,
      actual: { status: 201, headers: { Location: 'http://h:1/admin/realms/master/users/42' }, body: '' },
      problems: [/^header Location/],
    },
    {
      name: 'a body where the recording has none',
      rec: CREATED,
      actual: { status: 201, headers: { Location: 'http://h:1/admin/realms/master/users/0b5e0b4e-1111-4222-8333-444455556666' }, body: '{}' },
      problems: ['body ("{}") == empty'],
    },
    { name: 'a missing key', rec: USER_READ, actual: json(200, { ...goodUser, totp: undefined }), problems: ['$ missing keys totp'] },
    { name: 'an extra key', rec: USER_READ, actual: json(200, { ...goodUser, email: 'a@b' }), problems: ['$ unexpected keys email'] },
    { name: 'a fixed string differing', rec: USER_READ, actual: json(200, { ...goodUser, username: 'root' }), problems: ['$.username ("root") == "admin"'] },
    { name: 'a fixed boolean differing', rec: USER_READ, actual: json(200, { ...goodUser, totp: true }), problems: ['$.totp (true) == false'] },
    { name: '{{number}} given a string', rec: USER_READ, actual: json(200, { ...goodUser, createdTimestamp: '1' }), problems: ['$.createdTimestamp ("1") == {{number}}'] },
    { name: '{{array}} given an object', rec: USER_READ, actual: json(200, { ...goodUser, tags: {} }), problems: ['$.tags ({}) == {{array}}'] },
    { name: 'a named value that changes', rec: USER_READ, actual: json(200, { ...goodUser, self: { id: 'u2' } }), problems: ['$.self.id ("u2") == {{user_id}} ("u1")'] },
    { name: 'a named value bound in advance', rec: USER_READ, actual: json(200, goodUser), options: { bindings: { user_id: 'u9' } }, problems: [/^\$\.id \("u1"\) == \{\{user_id\}\}/, /^\$\.self\.id/] },
    { name: 'a nested type change', rec: USER_READ, actual: json(200, { ...goodUser, access: [] }), problems: ['$.access type (array) == object'] },
    { name: 'a substituted string', rec: USER_READ, actual: json(200, { ...goodUser, username: 'sysadmin' }), options: { substitutions: { admin: 'sysadmin' } }, problems: [] },
    {
      name: 'arrays of another length (exact)',
      rec: ROLES,
      actual: json(200, [{ id: 'a', name: 'offline_access', description: '${role_offline-access}', composite: false }]),
      problems: ['$ length (1) == 2'],
    },
    {
      name: 'arrays by shape: other elements of a recorded shape, keyed twins in full',
      rec: ROLES,
      actual: json(200, [
        { id: 'a', name: 'offline_access', description: '${role_offline-access}', composite: false },
        { id: 'b', name: 'operator', description: 'Operates', composite: false },
        { id: 'c', name: 'solo', composite: true },
      ]),
      options: { arrays: { mode: 'shape', key: 'name' } },
      problems: [],
    },
    {
      name: 'arrays by shape: a keyed twin that differs',
      rec: ROLES,
      actual: json(200, [{ id: 'a', name: 'offline_access', description: 'other', composite: false }]),
      options: { arrays: { mode: 'shape', key: 'name' } },
      problems: ['$[0].description ("other") == "${role_offline-access}"'],
    },
    {
      name: 'arrays by shape: an element of no recorded shape',
      rec: ROLES,
      actual: json(200, [{ id: 'a', name: 'x', composite: 'no' }]),
      options: { arrays: { mode: 'shape', key: 'name' } },
      problems: ['$[0].composite ("no") == {{boolean}}'],
    },
    {
      name: 'HTML: the selected text is there',
      rec: HTML,
      actual: { status: 400, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: '<p>Invalid parameter: redirect_uri</p>' },
      options: { htmlTexts: ['Invalid parameter: redirect_uri'] },
      problems: [],
    },
    {
      name: 'HTML: the selected text is missing',
      rec: HTML,
      actual: { status: 400, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: '<p>Oops</p>' },
      options: { htmlTexts: ['Invalid parameter: redirect_uri'] },
      problems: ['body contains "Invalid parameter: redirect_uri": no'],
    },
    {
      name: 'a JSON scalar body',
      rec: '# GET /c\nHTTP/1.1 200 OK\nContent-Type: application/json;charset=UTF-8\nCache-Control: no-cache\n\n1',
      actual: json(200, '2'),
      problems: ['$ (2) == 1'],
    },
  ];

  it.each(cases)('$name', ({ rec, actual, options, problems }) => {
    const got = compareResponse(parseRecording(rec), actual, options);
    expect(got).toHaveLength(problems.length);
    problems.forEach((p, i) => (typeof p === 'string' ? expect(got[i]).toBe(p) : expect(got[i]).toMatch(p)));
  });

  it('accepts fetch Headers as well as a plain object', () => {
    const headers = new Headers({ 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-cache' });
    expect(compareResponse(parseRecording(USER_READ), { status: 200, headers, body: JSON.stringify(goodUser) })).toEqual([]);
  });
});
