// Browser building blocks the journeys share: Keycloak's login and update-password pages, the
// console's tabs and token list, and "which of these shows up first". Everything goes through the
// target's selectors by name, so another console or theme is a config change.
// Not a journey: the loader only picks up `*.journey.ts`.
import type { Locator } from 'playwright';
import type { BrowserSession } from 'onramp';

/** Fills Keycloak's login form and submits it; once submitted, the page counts as signed in as `username` (evidence names it). */
export async function keycloakLogin(b: BrowserSession, username: string, password: string): Promise<void> {
  await b.kc('username').fill(username);
  await b.kc('password').fill(password);
  await b.kc('login').click();
  b.signedInAs = username;
}

/** Fills Keycloak's update-password form (new and confirmation) and submits it. */
export async function keycloakNewPassword(b: BrowserSession, password: string): Promise<void> {
  await b.kc('password_new').fill(password);
  await b.kc('password_confirm').fill(password);
  await b.kc('submit').click();
}

/** The name of whichever candidate becomes visible first (Playwright's timeout if none does). */
export async function firstVisible<K extends string>(candidates: Record<K, Locator>): Promise<K> {
  const entries = Object.entries(candidates) as [K, Locator][];
  // Hidden matches come first in the document too: only a visible one counts.
  await entries.map(([, l]) => l).reduce((a, l) => a.or(l)).filter({ visible: true }).first().waitFor();
  for (const [name, l] of entries) if (await l.filter({ visible: true }).count()) return name;
  return entries[0]![0];
}

/** Trimmed text of the first match. */
export async function text(l: Locator): Promise<string | undefined> {
  return (await l.first().textContent())?.trim();
}

export async function openTab(b: BrowserSession, tab: 'overview' | 'settings'): Promise<void> {
  await b.console(`tab_${tab}`).click();
  await b.console(`panel_${tab}`).waitFor({ state: 'visible' });
}

/** A console selector's name (`browser.selectors.console` in the config). */
export type ConsoleSelector = Parameters<BrowserSession['console']>[0];

/** The trimmed texts of one cell (by selector name) in every row of a console list. */
export async function cellTexts(b: BrowserSession, row: ConsoleSelector, cell: ConsoleSelector): Promise<string[]> {
  const texts = await b.console(row).locator(b.selectors.console[cell]).allTextContents();
  return texts.map((n) => n.trim());
}

/** The names in the Settings tab's enrollment-token list. */
export const tokenNames = (b: BrowserSession): Promise<string[]> => cellTexts(b, 'enrollment_token_row', 'enrollment_token_row_name');

/** The names in the Settings tab's SCIM connection list. */
export const scimConnectionNames = (b: BrowserSession): Promise<string[]> => cellTexts(b, 'scim_connection_row', 'scim_connection_row_name');

/** The slugs in the system admin's tenant list. */
export const tenantSlugs = (b: BrowserSession): Promise<string[]> => cellTexts(b, 'tenant_row', 'tenant_row_slug');
