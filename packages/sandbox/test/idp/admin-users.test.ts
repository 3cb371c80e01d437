// The user rules behind /admin/realms/{realm}/users: Keycloak's search semantics, the user
// profile's attribute filtering, create defaults and update merging, over HTTP as clients see them.
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIdp, type RunningIdp } from '../../src/idp/start.ts';
import { mintAccessToken, userByName } from '../support/tokens.ts';

let idp: RunningIdp;
let token: string;

async function call(method: string, path: string, body?: unknown, server = idp, auth = token) {
  const res = await fetch(`${server.url}/admin/realms/sandbox${path}`, {
    method,
    headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), body: text ? JSON.parse(text) : undefined };
}

const usernames = (list: { username: string }[]) => list.map((u) => u.username);

beforeAll(async () => {
  idp = await startIdp({ realmFile: DEFAULT_REALM_FILE });
  token = await mintAccessToken(idp, await userByName(idp, 'sysadmin'));
  const people = [
    { username: 'search-ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@analytical.test', attributes: { tenant_id: ['t-1'], org_id: ['Org One'] } },
    { username: 'search-grace', firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.test', attributes: { tenant_id: ['t-1'] } },
    { username: 'search-alan', firstName: 'Alan', lastName: 'Turing', email: 'alan@bletchley.test', enabled: false, attributes: { tenant_id: ['t-2'] } },
  ];
  for (const p of people) expect((await call('POST', '/users/', { enabled: true, ...p })).status).toBe(201);
});

afterAll(async () => {
  await idp?.close();
});

describe('user search', () => {
  const cases: { query: string; expected: string[] }[] = [
    { query: 'search=search-', expected: ['search-ada', 'search-alan', 'search-grace'] },
    { query: 'search=ada', expected: ['search-ada'] }, // prefix of the e-mail and first name
    { query: 'search=love', expected: ['search-ada'] }, // prefix of the last name
    { query: 'search=ovelace', expected: [] }, // not a prefix
    { query: 'search=*ovelace', expected: ['search-ada'] }, // infix with *
    { query: 'search=%22grace%22', expected: ['search-grace'] }, // "grace": exact first name
    { query: 'search=%22grac%22', expected: [] },
    { query: 'search=search-a%20tur', expected: ['search-alan'] }, // every word must match
    { query: 'search=search-&enabled=false', expected: ['search-alan'] },
    { query: 'username=earch-a', expected: ['search-ada', 'search-alan'] }, // field filters are infix
    { query: 'username=search-ada&exact=true', expected: ['search-ada'] },
    { query: 'username=earch-ada&exact=true', expected: [] },
    { query: 'email=NAVY', expected: ['search-grace'] }, // case-insensitive
    { query: 'firstName=grace&lastName=hopper&exact=true', expected: ['search-grace'] },
    { query: 'q=tenant_id:t-1', expected: ['search-ada', 'search-grace'] },
    { query: 'q=tenant_id:t-1%20org_id:%22org%20one%22', expected: ['search-ada'] }, // quoted value, case-insensitive
    { query: 'q=tenant_id:t-', expected: [] }, // attributes match exactly...
    { query: 'q=tenant_id:t-&exact=false', expected: ['search-ada', 'search-alan', 'search-grace'] }, // ...unless exact=false
    { query: 'search=search-&first=1&max=1', expected: ['search-alan'] },
    { query: 'search=service-account', expected: [] }, // service accounts are left out of searches
    { query: 'username=service-account', expected: ['service-account-platform-admin'] }, // but not of field filters
    { query: 'search=id:nope', expected: [] },
  ];
  it.each(cases)('GET users?$query', async ({ query, expected }) => {
    const res = await call('GET', `/users/?${query}`);
    expect(res.status).toBe(200);
    expect(usernames(res.body)).toEqual(expected);
  });

  it('counts with the same filters', async () => {
    expect((await call('GET', '/users/count?q=tenant_id:t-1')).body).toBe(2);
    expect((await call('GET', '/users/count?search=search-')).body).toBe(3);
    // sysadmin and the three; the service account is not counted.
    expect((await call('GET', '/users/count')).body).toBe(4);
  });

  it('brief representations keep attributes and leave out required actions and credentials', async () => {
    const [ada] = (await call('GET', '/users?username=search-ada&exact=true&briefRepresentation=true')).body;
    expect(Object.keys(ada)).toEqual(['id', 'username', 'firstName', 'lastName', 'email', 'emailVerified', 'attributes', 'enabled', 'createdTimestamp', 'access']);
  });
});

describe('create and update', () => {
  it('lower-cases usernames and e-mails, and a user created without "enabled" is disabled', async () => {
    const res = await call('POST', '/users', { username: 'Mixed-Case', email: 'Mixed@Example.TEST' });
    expect(res.location).toMatch(new RegExp(`^${idp.url}/admin/realms/sandbox/users/[0-9a-f-]{36}$`));
    const user = (await call('GET', `/users/${res.location!.split('/').pop()}`)).body;
    expect(user).toMatchObject({ username: 'mixed-case', email: 'mixed@example.test', enabled: false, emailVerified: false, requiredActions: [] });
  });

  it('takes a chosen id when it is a free UUID', async () => {
    const id = '0b5e0b4e-1111-4222-8333-444455556666';
    expect((await call('POST', '/users', { id, username: 'chosen-id', enabled: true })).location).toBe(`${idp.url}/admin/realms/sandbox/users/${id}`);
    expect(await call('POST', '/users', { id, username: 'chosen-again' })).toMatchObject({ status: 409, body: { errorMessage: 'User with ID already exists' } });
    expect(await call('POST', '/users', { id: 'not-a-uuid', username: 'chosen-bad' })).toMatchObject({ status: 400, body: { errorMessage: 'Invalid user ID' } });
  });

  const unparseable = { status: 400, body: { error: 'invalid_request', error_description: 'Cannot parse the JSON' } };
  const unbindable = { status: 400, body: { error: 'unknown_error', error_description: 'Cannot parse the JSON' } };
  const unrecognized = (field: string, type: string, column: number) => ({
    status: 400,
    body: { error: `Invalid json representation for ${type}. Unrecognized field "${field}" at line 1 column ${column}.` },
  });
  it.each([
    ['truncated JSON', '{"username":', unparseable],
    ['a number where a boolean belongs', { username: 'typed', enabled: 3 }, unbindable],
    ['a word where a boolean belongs', { username: 'typed', enabled: 'yes' }, unbindable],
    ['an object where a string belongs', { username: { first: 'x' } }, unbindable],
    ['a JSON array instead of a user', [{ username: 'typed' }], unbindable],
    ['a JSON string instead of a user', '"typed"', unbindable],
    ['null instead of a user', null, { status: 500, body: { error: 'unknown_error', error_description: 'For more on this error consult the server log.' } }],
    // Jackson's column is just past the value's first token: the opening quote, or a whole literal.
    ['an unknown field with a string value', '{"username":"typed","nosuchfield":"x"}', unrecognized('nosuchfield', 'UserRepresentation', 36)],
    ['an unknown field with a literal value', '{"username":"typed","nosuchfield":true}', unrecognized('nosuchfield', 'UserRepresentation', 39)],
    ['an unknown field of an inline credential', '{"username":"typed","credentials":[{"value":"x","label":"y"}]}', unrecognized('label', 'CredentialRepresentation', 58)],
    ['a wrong type before an unknown field, in document order', '{"enabled":"yes","nosuchfield":1}', unbindable],
  ])('answers %s as Keycloak does', async (_name, body, expected) => {
    expect(await call('POST', '/users', body)).toMatchObject(expected);
  });

  it('replaces attributes when PUT sends them, keeps them when it does not, drops undeclared ones', async () => {
    const id = (await call('POST', '/users', { username: 'put-attrs', enabled: true, attributes: { tenant_id: ['t-9'], org_id: ['o-9'] } })).location!.split('/').pop();
    await call('PUT', `/users/${id}`, { lastName: 'Kept' });
    expect((await call('GET', `/users/${id}`)).body.attributes).toEqual({ tenant_id: ['t-9'], org_id: ['o-9'] });
    await call('PUT', `/users/${id}`, { attributes: { tenant_id: ['t-10'], shoe_size: ['44'] } });
    expect((await call('GET', `/users/${id}`)).body).toMatchObject({ lastName: 'Kept', attributes: { tenant_id: ['t-10'] } });
    expect((await call('GET', `/users/${id}`)).body.attributes).not.toHaveProperty('org_id');
  });

  it('PUT requiredActions replaces the list, keeping only known actions', async () => {
    const id = (await call('POST', '/users', { username: 'put-actions', enabled: true, requiredActions: ['VERIFY_EMAIL'] })).location!.split('/').pop();
    await call('PUT', `/users/${id}`, { requiredActions: ['UPDATE_PASSWORD', 'NOT_AN_ACTION'] });
    expect((await call('GET', `/users/${id}`)).body.requiredActions).toEqual(['UPDATE_PASSWORD']);
  });

  it('PUT and reset-password for an unknown user are 404', async () => {
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(await call('PUT', `/users/${nil}`, { firstName: 'x' })).toMatchObject({ status: 404, body: { error: 'User not found' } });
    expect(await call('PUT', `/users/${nil}/reset-password`, { type: 'password', value: 'x' })).toMatchObject({ status: 404, body: { error: 'User not found' } });
  });

  it('keeps undeclared attributes when the realm\'s unmanagedAttributePolicy is ENABLED', async () => {
    const realm = JSON.parse(await readFile(DEFAULT_REALM_FILE, 'utf8'));
    const cfg = realm.components['org.keycloak.userprofile.UserProfileProvider'][0].config;
    cfg['kc.user.profile.config'] = [JSON.stringify({ ...JSON.parse(cfg['kc.user.profile.config'][0]), unmanagedAttributePolicy: 'ENABLED' })];
    const dir = await mkdtemp(join(tmpdir(), 'onramp-unmanaged-'));
    const file = join(dir, 'realm.json');
    await writeFile(file, JSON.stringify(realm));
    const open = await startIdp({ realmFile: file });
    try {
      const auth = await mintAccessToken(open, await userByName(open, 'sysadmin'));
      const res = await call('POST', '/users', { username: 'keeps-all', enabled: true, attributes: { tenant_id: ['t'], shoe_size: ['44'] } }, open, auth);
      const user = await call('GET', `/users/${res.location!.split('/').pop()}`, undefined, open, auth);
      expect(user.body.attributes).toEqual({ tenant_id: ['t'], shoe_size: ['44'] });
    } finally {
      await open.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/no-such-resource', 404, { error: 'Unable to find matching target resource method' }],
    ['PATCH', '/users', 405, { error: 'HTTP 405 Method Not Allowed' }],
    ['GET', '/clients/no-such-client', 404, { error: 'Could not find client' }],
  ])('%s %s -> %i', async (method, path, status, body) => {
    expect(await call(method, path)).toMatchObject({ status, body });
  });

  it('finds clients by clientId', async () => {
    const res = await call('GET', '/clients?clientId=onramp-console');
    expect(res.body.map((c: { clientId: string }) => c.clientId)).toEqual(['onramp-console']);
    expect((await call('GET', `/clients/${res.body[0].id}`)).body).toMatchObject({ clientId: 'onramp-console', publicClient: false });
  });
});
