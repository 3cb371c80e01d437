// base login-page-expired.ftl: "Page has expired" with #loginRestartLink and #loginContinueLink.
import { escapeHtml, jsStringContent, renderLayout, type RealmView } from './template.ts';
import { MESSAGES } from './messages.ts';

export interface PageExpiredInput extends RealmView {
  realm: string;
  /** `url.loginRestartFlowUrl`: .../login-actions/restart?client_id=...&tab_id=...&skip_logout=false */
  restartUrl: string;
  /** `url.loginAction`: .../login-actions/authenticate?execution=...&client_id=...&tab_id=... */
  continueUrl: string;
  /** Session-polling URL; defaults to restartUrl with skip_logout=true, as Keycloak derives it. */
  loginRestartUrl?: string;
  authSessionIdHash?: string;
}

function withSkipLogout(url: string): string {
  if (/([?&])skip_logout=[^&]*/.test(url)) return url.replace(/([?&])skip_logout=[^&]*/, '$1skip_logout=true');
  return `${url}${url.includes('?') ? '&' : '?'}skip_logout=true`;
}

export function renderPageExpired(input: PageExpiredInput): string {
  const form = `        <p id="instruction1" class="instruction">
            ${escapeHtml(MESSAGES.pageExpiredMsg1)} <a id="loginRestartLink" href="${escapeHtml(input.restartUrl)}">${escapeHtml(MESSAGES.doClickHere)}</a> .<br/>
            ${escapeHtml(MESSAGES.pageExpiredMsg2)} <a id="loginContinueLink" href="${escapeHtml(input.continueUrl)}">${escapeHtml(MESSAGES.doClickHere)}</a> .
        </p>
`;
  // Keycloak rewrites the address bar to the continue URL so a reload resumes the flow.
  const historyReplace = `<SCRIPT> if (typeof history.replaceState === 'function') {  history.replaceState({}, "some title", "${jsStringContent(input.continueUrl)}"); }</SCRIPT>`;
  return renderLayout({
    ...input,
    pageId: 'login-page-expired',
    headerHtml: `        ${escapeHtml(MESSAGES.pageExpiredTitle)}\n`,
    formHtml: form,
    sessionPollingUrl: input.loginRestartUrl ?? withSkipLogout(input.restartUrl),
    extraHeadHtml: historyReplace,
  });
}
