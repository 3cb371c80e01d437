// base logout-confirm.ftl (keycloak.v2 has no own version): div#kc-logout-confirm holding an
// id-less form that posts session_code, submitted by input#kc-logout[name=confirmLogout].
import { escapeHtml, renderLayout, type RealmView } from './template.ts';
import { MESSAGES } from './messages.ts';

export interface LogoutConfirmInput extends RealmView {
  realm: string;
  /** `url.logoutConfirmAction`: /realms/{realm}/protocol/openid-connect/logout/logout-confirm */
  actionUrl: string;
  sessionCode: string;
  /** Accepted for callers that know it; Keycloak's template does not show the client's name. */
  clientName?: string;
  /** The client's base URL: Keycloak adds a "Back to Application" link when it has one. */
  backToApplicationUrl?: string;
  /** `url.ssoLoginInOtherTabsUrl`. */
  loginRestartUrl?: string;
}

export function renderLogoutConfirmPage(input: LogoutConfirmInput): string {
  const back =
    input.backToApplicationUrl === undefined
      ? ''
      : `                        <p><a href="${escapeHtml(input.backToApplicationUrl)}">${escapeHtml(MESSAGES.backToApplication)}</a></p>\n`;
  const form = `        <div id="kc-logout-confirm" class="content-area">
            <p class="instruction">${escapeHtml(MESSAGES.logoutConfirmHeader)}</p>

            <form class="form-actions" action="${escapeHtml(input.actionUrl)}" onsubmit="confirmLogout.disabled = true; return true;" method="POST">
                <input type="hidden" name="session_code" value="${escapeHtml(input.sessionCode)}">
                <div class="pf-v5-c-form__group">
                    <div id="kc-form-options">
                        <div class="">
                        </div>
                    </div>

                    <div id="kc-form-buttons" class="pf-v5-c-form__group">
                        <input tabindex="4"
                               class="pf-v5-c-button pf-m-primary pf-m-block"
                               name="confirmLogout" id="kc-logout" type="submit" value="${escapeHtml(MESSAGES.doLogout)}"/>
                    </div>

                </div>
            </form>

            <div id="kc-info-message">
${back}            </div>

            <div class="clearfix"></div>
        </div>
`;
  return renderLayout({
    ...input,
    pageId: 'logout-confirm',
    headerHtml: `        ${escapeHtml(MESSAGES.logoutConfirmTitle)}\n`,
    formHtml: form,
    sessionPollingUrl: input.loginRestartUrl,
  });
}
