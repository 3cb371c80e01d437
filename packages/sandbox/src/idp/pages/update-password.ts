// keycloak.v2 login-update-password.ftl: the UPDATE_PASSWORD required action (#kc-passwd-update-form).
import { escapeHtml, jsStringContent, renderAlert, renderLayout, type AlertMessage, type RealmView } from './template.ts';
import { passwordField, submitButton } from './fields.ts';
import { MESSAGES } from './messages.ts';

export interface UpdatePasswordFieldErrors {
  /** Shown at #password-new as #input-error-password-new (Keycloak files it under "password"), e.g. MESSAGES.missingPasswordMessage. */
  password?: string;
  /** Shown at #password-confirm as #input-error-password-confirm, e.g. MESSAGES.notMatchPasswordMessage. */
  'password-confirm'?: string;
}

export interface UpdatePasswordPageInput extends RealmView {
  realm: string;
  actionUrl: string;
  /** `url.ssoLoginInOtherTabsUrl` (restart URL with skip_logout=true). */
  loginRestartUrl?: string;
  authSessionIdHash?: string;
  /**
   * Page-level error. Keycloak's UpdatePassword action reports a password-policy rejection with
   * setError (not per field), so e.g. "Invalid password: minimum length 12." lands in the alert
   * above the form (.pf-v5-c-alert.pf-m-danger .kc-feedback-text).
   */
  error?: string;
  /** Per-field errors (Keycloak's addError): missing password and confirmation mismatch. */
  fieldErrors?: UpdatePasswordFieldErrors;
  /**
   * The authenticated user: template.ftl then shows the read-only #kc-attempted-username with the
   * #reset-login button (needs restartUrl).
   */
  username?: string;
  /** `url.loginRestartFlowUrl` for the #reset-login button. */
  restartUrl?: string;
}

function attemptedUsername(username: string, restartUrl: string): string {
  const onclick = `location.href='${jsStringContent(restartUrl).replace(/'/g, '\\u0027')}'`;
  return `                <div class="pf-v5-c-form pf-v5-u-w-100 pf-v5-u-mb-md-on-md">

<div class="pf-v5-c-form__group">
    <div class="pf-v5-c-form__group-label pf-v5-u-pb-xs">
        <label for="username" class="pf-v5-c-form__label">
        <span class="pf-v5-c-form__label-text">
            ${escapeHtml(MESSAGES.usernameOrEmail)}
        </span>
        </label>
    </div>

    <div class="pf-v5-c-input-group">
      <div class="pf-v5-c-input-group__item pf-m-fill">
        <span class="pf-v5-c-form-control pf-m-readonly">
          <input id="kc-attempted-username" value="${escapeHtml(username)}" readonly>
        </span>
      </div>
      <div class="pf-v5-c-input-group__item">
        <button id="reset-login" class="pf-v5-c-button pf-m-control kc-login-tooltip" type="button"
              aria-label="${escapeHtml(MESSAGES.restartLoginTooltip)}" onclick="${escapeHtml(onclick)}">
            <i class="fa-sync-alt fas" aria-hidden="true"></i>
            <span class="kc-tooltip-text">${escapeHtml(MESSAGES.restartLoginTooltip)}</span>
        </button>
      </div>
    </div>

    <div id="input-error-container-username">
    </div>
</div>

                </div>
`;
}

export function renderUpdatePasswordPage(input: UpdatePasswordPageInput): string {
  const comment = '<!-- template: login-update-password.ftl -->';
  const fieldErrors = input.fieldErrors ?? {};
  const hasFieldError = Boolean(fieldErrors.password || fieldErrors['password-confirm']);
  // displayMessage=!messagesPerField.existsError('password','password-confirm'); without an error the
  // required action's own warning is the page message.
  let alert: AlertMessage | undefined;
  if (!hasFieldError) {
    alert = input.error ? { type: 'error', text: input.error } : { type: 'warning', text: MESSAGES.updatePasswordMessage };
  }
  const form = `${comment}
        <form id="kc-passwd-update-form" class="pf-v5-c-form pf-v5-u-w-100" onsubmit="login.disabled = true; return true;" action="${escapeHtml(input.actionUrl)}" method="post" novalidate="novalidate">
${passwordField({ name: 'password-new', label: MESSAGES.passwordNew, autocomplete: 'new-password', autofocus: true, error: fieldErrors.password })}
${passwordField({ name: 'password-confirm', label: MESSAGES.passwordConfirm, autocomplete: 'new-password', error: fieldErrors['password-confirm'] })}

            <div class="pf-v5-c-form__group">
    <div id="kc-form-options" class="">
        <div class="">
            <div class="pf-v5-c-check">
                <input class="pf-v5-c-check__input" type="checkbox" id="logout-sessions" name="logout-sessions" value="on" checked>
                <label class="pf-v5-c-check__label" for="logout-sessions">
                    ${escapeHtml(MESSAGES.logoutOtherSessions)}
                </label>
            </div>
        </div>
    </div>
            </div>

${submitButton({ id: 'kc-submit', name: 'login', label: MESSAGES.doSubmit, horizontal: true })}        </form>
`;
  return renderLayout({
    ...input,
    pageId: 'login-update-password',
    headerHtml: `${comment}\n        ${escapeHtml(MESSAGES.updatePasswordTitle)}\n`,
    beforeFormHtml: input.username !== undefined && input.restartUrl !== undefined ? attemptedUsername(input.username, input.restartUrl) : '',
    alertHtml: alert ? renderAlert(alert) : '',
    formHtml: form,
    footerHtml: comment,
    sessionPollingUrl: input.loginRestartUrl,
  });
}
