// The signed-out page: sign in, or switch user (a fresh Keycloak login even while an SSO session
// lives, as the OP-071 runbook tells operators to test a new tenant admin).
import { esc, layout } from './html.ts';

/** Where logout lands: the sign-in page, saying the sign-out happened. */
export const SIGNED_OUT_QUERY = 'signed_out=1';

export function renderLoginPage(o: { error?: string; signedOut?: boolean } = {}): string {
  return layout('Sign in · onramp console', `<main class="login">
  <h1>Platform console</h1>
  <p>Sign in with your platform account.</p>
  ${o.error ? `<p class="banner banner-error" role="alert" data-testid="error-banner">${esc(o.error)}</p>` : ''}
  ${o.signedOut ? '<p class="banner banner-info" role="status" data-testid="signed-out">You are signed out. Sign in again, or switch to another user.</p>' : ''}
  <p class="login-actions">
    <a class="button" href="/auth/login" data-testid="sign-in">Sign in</a>
    <a class="button button-secondary" href="/auth/login?switch=1" data-testid="switch-user">Switch user</a>
  </p>
  <p class="hint">Switch user asks the identity provider for a new login. If it says you are already signed in as someone else, sign out first.</p>
</main>`);
}
