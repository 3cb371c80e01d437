// The form of Keycloak's direct access grant with the target's login client, used by the login
// step, the sweeper and triage.
import { request } from 'undici';
import type { Target } from './target.ts';
import { failureReason } from './transport.ts';

export function tokenEndpoint(target: Target): string {
  return `${target.idpUrl}/realms/${target.realm}/protocol/openid-connect/token`;
}

export function passwordGrantForm(target: Target, username: string, password: string): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'password', client_id: target.loginClient.clientId, username, password, scope: 'openid' });
  const secret = target.loginClient.clientSecret?.reveal();
  if (secret) form.set('client_secret', secret);
  return form;
}

/** A token request that got no token: names the login, the URL and why (refused, unreachable). */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/** A system admin's access token by the direct access grant (sweep and triage act as the platform's operator). */
export async function systemAdminToken(target: Target, signal?: AbortSignal): Promise<string> {
  const url = tokenEndpoint(target);
  const who = `system admin login (${target.systemAdmin.username})`;
  const form = passwordGrantForm(target, target.systemAdmin.username, target.systemAdmin.password.reveal());
  let res;
  try {
    res = await request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), signal });
  } catch (err) {
    throw new TokenRequestError(`${who}: cannot reach ${url} (${failureReason(err)})`);
  }
  const body = (await res.body.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!body.access_token) throw new TokenRequestError(`${who} at ${url} failed: HTTP ${res.statusCode} ${body.error ?? ''}`.trim());
  return body.access_token;
}
