// base info.ftl: a message page such as "You are logged out" (#kc-info-message p.instruction).
import { escapeHtml, renderLayout, type RealmView } from './template.ts';
import { MESSAGES } from './messages.ts';

export interface InfoPageInput extends RealmView {
  realm: string;
  /** The h1 (Keycloak: messageHeader, else the message itself). */
  title: string;
  message: string;
  /** Keycloak's pageRedirectUri / actionUri / client base URL link; text defaults to "« Back to Application". */
  link?: { href: string; text?: string };
  /** `url.ssoLoginInOtherTabsUrl`. */
  loginRestartUrl?: string;
}

export function renderInfoPage(input: InfoPageInput): string {
  const link =
    input.link === undefined
      ? ''
      : `                <p><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.text ?? MESSAGES.backToApplication)}</a></p>\n`;
  const form = `    <div id="kc-info-message">
        <p class="instruction">${escapeHtml(input.message)}</p>
${link}    </div>
`;
  return renderLayout({
    ...input,
    pageId: 'info',
    headerHtml: `        ${escapeHtml(input.title)}\n`,
    formHtml: form,
    sessionPollingUrl: input.loginRestartUrl,
  });
}
