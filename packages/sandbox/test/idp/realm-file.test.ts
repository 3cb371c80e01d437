// Loading the Keycloak realm export: placeholders, and every problem named by its path at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRealmFile, RealmFileError } from '../../src/idp/realm/load.ts';
import { parsePasswordPolicy } from '../../src/idp/realm/password-policy.ts';
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';

const REALM = DEFAULT_REALM_FILE;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onramp-realm-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function problemsOf(mutate: (realm: Record<string, any>) => void): Promise<string[]> {
  const realm = JSON.parse(await readFile(REALM, 'utf8'));
  mutate(realm);
  const file = join(dir, `${Math.random()}.json`);
  await writeFile(file, JSON.stringify(realm));
  try {
    await loadRealmFile(file);
    return [];
  } catch (err) {
    if (err instanceof RealmFileError) return err.problems;
    throw err;
  }
}

describe('realm file', () => {
  it('loads the sandbox realm with its placeholders resolved from vars, then env, then defaults', async () => {
    const realm = await loadRealmFile(REALM, { ONRAMP_CONSOLE_URL: 'http://console.test:1234' });
    const console_ = realm.clients.find((c) => c.clientId === 'onramp-console')!;
    expect(console_.redirectUris).toEqual(['http://console.test:1234/*']);
    expect(console_.postLogoutRedirectUris).toEqual(['http://console.test:1234/*']);
    expect(console_.pkceMethod).toBe('S256');
    expect(realm.clients.find((c) => c.clientId === 'platform-admin')!.secret).toBe('sandbox-admin-secret');
    expect(realm.passwordPolicy).toBe('length(12) and upperCase(1) and lowerCase(1) and digits(1) and specialChars(1) and notUsername');
    expect([...realm.userProfile.attributes]).toEqual(expect.arrayContaining(['platform_user_id', 'tenant_id']));
  });

  it.each([
    ['missing realm name', (r: any) => delete r.realm, '$.realm: required'],
    ['unknown password policy', (r: any) => (r.passwordPolicy = 'length(12) and bogus(1)'), '$.passwordPolicy: unknown password policy "bogus(1)"'],
    ['confidential client without secret', (r: any) => delete r.clients[0].secret, '$.clients[0].secret: a confidential client needs a secret'],
    ['unknown mapper type', (r: any) => (r.clientScopes[0].protocolMappers[0].protocolMapper = 'script-mapper'), '$.clientScopes[0].protocolMappers[0].protocolMapper: "script-mapper" is not supported by the sandbox IdP'],
    ['user with unknown realm role', (r: any) => r.users[0].realmRoles.push('nope'), '$.users[0].realmRoles: unknown realm role "nope"'],
    ['client role for unknown client', (r: any) => (r.roles.client.ghost = []), '$.roles.client.ghost: no client with that clientId'],
    ['wrong type', (r: any) => (r.accessTokenLifespan = '300'), '$.accessTokenLifespan: expected number, got string'],
    ['service account not named as Keycloak names it', (r: any) => (r.users[1].username = 'platform-robot'), '$.users[1].username: a service account of "platform-admin" must be named "service-account-platform-admin"'],
  ])('reports %s by path', async (_name, mutate, expected) => {
    expect(await problemsOf(mutate)).toContain(expected);
  });

  it('collects every problem in one error', async () => {
    const problems = await problemsOf((r) => {
      delete r.realm;
      r.passwordPolicy = 'nonsense';
      r.users[0].realmRoles.push('nope');
    });
    expect(problems).toHaveLength(3);
  });
});

describe('password policy', () => {
  const { policy } = parsePasswordPolicy('length(12) and upperCase(1) and lowerCase(1) and digits(1) and specialChars(1) and notUsername');
  it.each([
    ['Sh0rt!aA', 'invalidPasswordMinLengthMessage', 'Invalid password: minimum length 12.'],
    ['alllowercase1!x', 'invalidPasswordMinUpperCaseCharsMessage', 'Invalid password: must contain at least 1 upper case characters.'],
    ['ALLUPPERCASE1!X', 'invalidPasswordMinLowerCaseCharsMessage', 'Invalid password: must contain at least 1 lower case characters.'],
    ['NoDigitsHere!!x', 'invalidPasswordMinDigitsMessage', 'Invalid password: must contain at least 1 numerical digits.'],
    ['NoSpecials123xY', 'invalidPasswordMinSpecialCharsMessage', 'Invalid password: must contain at least 1 special characters.'],
    ['Alice-User-123', 'invalidPasswordNotUsernameMessage', 'Invalid password: must not be equal to the username.'],
  ])('%s -> %s', (password, error, message) => {
    expect(policy.check(password, 'alice-user-123')).toEqual({ error, message });
  });
  it('accepts a password meeting every rule', () => {
    expect(policy.check('Strong-Passw0rd!', 'alice')).toBeUndefined();
  });
});
