// What a browser step gets: the journey attempt's page (a fresh context per attempt), the
// target's selectors by name, and where the console is.
import type { BrowserContext, Locator, Page } from 'playwright';
import type { Selectors } from './selectors.ts';

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  selectors: Selectors;
  consoleUrl: string;
  /**
   * Who the page is signed in as (a username): set by the step that signs in (`keycloakLogin` does, once it submitted the form),
   * kept across the attempt's steps, and named in a failed step's evidence.
   */
  signedInAs?: string;
  /** The console element with this selector name. */
  console(name: keyof Selectors['console']): Locator;
  /** The identity provider's page element with this selector name. */
  kc(name: keyof Selectors['keycloak']): Locator;
}

export function browserSession(page: Page, selectors: Selectors, consoleUrl: string, signedInAs?: string): BrowserSession {
  return {
    page,
    ...(signedInAs ? { signedInAs } : {}),
    context: page.context(),
    selectors,
    consoleUrl: consoleUrl.replace(/\/$/, ''),
    console: (name) => page.locator(selectors.console[name]),
    kc: (name) => page.locator(selectors.keycloak[name]),
  };
}
