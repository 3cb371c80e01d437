// The form of Keycloak's direct access grant with the target's login client, used by the login
// step and by the sweeper.
import type { Target } from './target.ts';

export function tokenEndpoint(target: Target): string {
  return `${target.idpUrl}/realms/${target.realm}/protocol/openid-connect/token`;
}

export function passwordGrantForm(target: Target, username: string, password: string): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'password', client_id: target.loginClient.clientId, username, password, scope: 'openid' });
  const secret = target.loginClient.clientSecret?.reveal();
  if (secret) form.set('client_secret', secret);
  return form;
}
