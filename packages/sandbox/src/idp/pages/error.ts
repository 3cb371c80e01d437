// base error.ftl (keycloak.v2 inherits it): "We are sorry..." with the message in
// #kc-error-message p.instruction and an optional #backToApplication link.
import { escapeHtml, renderLayout, type RealmView } from './template.ts';
import { MESSAGES } from './messages.ts';

export interface ErrorPageInput extends RealmView {
  /** Plain-text message, e.g. MESSAGES.invalidRedirectUri. */
  message: string;
  /** The client's base URL, when a client is known and has one. */
  backToApplicationUrl?: string;
  /** `url.ssoLoginInOtherTabsUrl` for the session-polling script (restart URL with skip_logout=true). */
  restartUrl?: string;
}

export function renderErrorPage(input: ErrorPageInput): string {
  const back =
    input.backToApplicationUrl === undefined
      ? ''
      : `                    <p><a id="backToApplication" href="${escapeHtml(input.backToApplicationUrl)}">${escapeHtml(MESSAGES.backToApplication)}</a></p>\n`;
  const form = `        <div id="kc-error-message">
            <p class="instruction">${escapeHtml(input.message)}</p>
${back}        </div>
`;
  return renderLayout({
    ...input,
    pageId: 'error',
    headerHtml: `        ${escapeHtml(MESSAGES.errorTitle)}\n`,
    formHtml: form,
    sessionPollingUrl: input.restartUrl,
  });
}
