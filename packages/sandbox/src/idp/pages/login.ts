// keycloak.v2 login.ftl: the username/password form (#kc-form-login).
import { escapeHtml, renderLayout, type RealmView } from './template.ts';
import { passwordField, submitButton, textField } from './fields.ts';
import { MESSAGES } from './messages.ts';

export interface LoginPageInput extends RealmView {
  realm: string;
  /** The form's action: .../login-actions/authenticate?session_code=...&execution=...&client_id=...&tab_id=... */
  actionUrl: string;
  /** `url.ssoLoginInOtherTabsUrl`: .../login-actions/restart?client_id=...&tab_id=...&skip_logout=true */
  loginRestartUrl: string;
  /** Username shown again after a failed attempt. */
  username?: string;
  /**
   * Credential error, e.g. MESSAGES.invalidUserMessage. Keycloak files it under the password field
   * but login.ftl shows getFirstError('username','password') at the username input only.
   */
  error?: string;
  /** Realm's loginWithEmailAllowed (default true): picks the "Username or email" label. */
  loginWithEmailAllowed?: boolean;
  /** Present when an authentication session exists (always, in Keycloak, for this page). */
  authSessionIdHash?: string;
}

export function renderLoginPage(input: LoginPageInput): string {
  const comment = '<!-- template: login.ftl -->';
  const label = input.loginWithEmailAllowed === false ? MESSAGES.username : MESSAGES.usernameOrEmail;
  // login.ftl builds the label in an indented #assign block; keep its whitespace.
  const labelHtml = `                            ${escapeHtml(label)}\n`;
  const form = `${comment}

        <div id="kc-form">
          <div id="kc-form-wrapper">
                <form id="kc-form-login" class="pf-v5-c-form pf-v5-u-w-100" onsubmit="login.disabled = true; return true;" action="${escapeHtml(input.actionUrl)}" method="post" novalidate="novalidate">
${textField({ name: 'username', label, labelHtml, value: input.username, autocomplete: 'username', autofocus: true, error: input.error })}
${passwordField({ name: 'password', label: MESSAGES.password, autocomplete: 'current-password' })}

                    <input type="hidden" id="id-hidden-input" name="credentialId" />
${submitButton({ id: 'kc-login', name: 'login', label: MESSAGES.doLogIn })}                </form>
            </div>
        </div>

`;
  return renderLayout({
    ...input,
    pageId: 'login',
    headerHtml: `${comment}\n\n        ${escapeHtml(MESSAGES.loginAccountTitle)}\n\n`,
    formHtml: form,
    footerHtml: `${comment}\n\n\n`,
    sessionPollingUrl: input.loginRestartUrl,
  });
}
