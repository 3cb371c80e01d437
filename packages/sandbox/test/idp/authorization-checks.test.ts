// Keycloak's authorization request checks, case by case: which refusal, with which code and text,
// and in which order, before oidc-provider sees the request.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRealmFile } from '../../src/idp/realm/load.ts';
import type { Realm } from '../../src/idp/realm/model.ts';
import { checkAuthorizationRequest } from '../../src/idp/oidc/authorization-checks.ts';
import { DEFAULT_REALM_FILE } from '../../src/idp/realm/default-file.ts';

const ISSUER = 'http://idp.test/realms/sandbox';
const CALLBACK = 'http://localhost:8081/auth/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
let realm: Realm;

beforeAll(async () => {
  realm = await loadRealmFile(DEFAULT_REALM_FILE);
});

const base = { client_id: 'onramp-console', redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's1', code_challenge: CHALLENGE, code_challenge_method: 'S256' };

function check(params: Record<string, string | null>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...params })) if (v !== null) q.set(k, v);
  return checkAuthorizationRequest(realm, ISSUER, q);
}

const redirect = (sep: '?' | '#', error: string, description?: string) =>
  ({ kind: 'redirect', location: `${CALLBACK}${sep}${new URLSearchParams({ error, ...(description ? { error_description: description } : {}), state: 's1', iss: ISSUER })}` });

describe('checkAuthorizationRequest', () => {
  it.each([
    ['a valid code request', {}, undefined],
    ['an unknown client (left to oidc-provider\'s error page)', { client_id: 'nobody' }, undefined],
    ['an unregistered redirect_uri (left to oidc-provider)', { redirect_uri: 'http://evil.example/cb' }, undefined],
    ['max_age that is not a number, before anything else', { max_age: 'soon', client_id: 'nobody' }, { kind: 'page', status: 400, message: 'Invalid Request', cacheControl: false }],
    ['no response_type', { response_type: null }, redirect('?', 'invalid_request', 'Missing parameter: response_type')],
    ['an unknown response_type, without a description', { response_type: 'foo' }, redirect('?', 'unsupported_response_type')],
    ['an unknown response_mode', { response_mode: 'bogus' }, redirect('?', 'invalid_request', 'Invalid parameter: response_mode')],
    ['the implicit flow on a client without it, in the fragment', { response_type: 'token' }, redirect('#', 'unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.')],
    ['a scope the client does not have', { scope: 'openid nosuchscope' }, redirect('?', 'invalid_scope', 'Invalid scopes: openid nosuchscope')],
    ['an optional scope of the client', { scope: 'openid offline_access' }, undefined],
    ['a method without a challenge', { code_challenge: null }, redirect('?', 'invalid_request', 'Missing parameter: code_challenge')],
    ['no PKCE on a client that requires S256', { code_challenge: null, code_challenge_method: null }, redirect('?', 'invalid_request', 'Missing parameter: code_challenge')],
    ['plain on a client configured for S256', { code_challenge_method: 'plain' }, redirect('?', 'invalid_request', 'Invalid parameter: code challenge method is not configured one')],
    ['a malformed challenge', { code_challenge: 'short' }, redirect('?', 'invalid_request', 'Invalid parameter: code_challenge')],
    ['response_mode=fragment for a code request', { response_type: null, response_mode: 'fragment' }, redirect('#', 'invalid_request', 'Missing parameter: response_type')],
    ['prompt=create in a realm without registration', { prompt: 'create' }, { kind: 'page', status: 400, message: 'Registration not allowed', cacheControl: true }],
  ] as const)('%s', (_name, params, expected) => {
    expect(check(params)).toEqual(expected);
  });

  it('lets prompt=create through where the realm allows registration', () => {
    const q = new URLSearchParams({ ...base, prompt: 'create' });
    expect(checkAuthorizationRequest({ ...realm, registrationAllowed: true }, ISSUER, q)).toBeUndefined();
  });

  it('refuses the code flow on a client with the standard flow off', () => {
    const canary = realm.clients.find((c) => c.clientId === 'onramp-canary')!;
    const withRedirect = { ...realm, clients: [{ ...canary, redirectUris: [CALLBACK] }] };
    const q = new URLSearchParams({ ...base, client_id: 'onramp-canary' });
    expect(checkAuthorizationRequest(withRedirect, ISSUER, q)).toEqual(redirect('?', 'unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.'));
  });
});
