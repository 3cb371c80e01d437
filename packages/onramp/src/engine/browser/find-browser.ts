// Which Chromium to launch: the configured path first (an explicit choice: a wrong one is an
// error, never silently replaced), then ONRAMP_CHROMIUM, then Playwright's own download, then the
// system's Chromium under its usual names. Headless runs prefer the headless shell (Debian's
// chromium-headless-shell, Playwright's chromium_headless_shell) where one is installed, as
// Playwright itself does: the full browser's UI layer costs about three times the CPU per page
// here. Playwright (a quarter of a second to import) is loaded only when its download is the place
// left to look.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const SYSTEM_HEADLESS_SHELL = ['/usr/bin/chromium-headless-shell'];
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export const HOW_TO_GET_ONE =
  'install Chromium (Debian/Ubuntu: `apt-get install -y chromium-headless-shell chromium`), or `npx playwright install chromium` where downloads work, or set browser.executable_path in the config (or --browser PATH)';

export type FoundBrowser = { path: string; source: 'configured' | 'ONRAMP_CHROMIUM' | 'playwright' | 'system' } | { problem: string };

export interface FindOptions {
  /** Headed runs need the full browser; headless ones (the default) take the headless shell first. */
  headless?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function findBrowser(configured?: string, o: FindOptions = {}): Promise<FoundBrowser> {
  const env = o.env ?? process.env;
  const headless = o.headless ?? true;
  if (configured) return existsSync(configured) ? { path: configured, source: 'configured' } : { problem: `no browser at the configured path ${configured}: ${HOW_TO_GET_ONE}` };
  if (env.ONRAMP_CHROMIUM) return existsSync(env.ONRAMP_CHROMIUM) ? { path: env.ONRAMP_CHROMIUM, source: 'ONRAMP_CHROMIUM' } : { problem: `no browser at ONRAMP_CHROMIUM=${env.ONRAMP_CHROMIUM}: ${HOW_TO_GET_ONE}` };
  const own = await playwrightChromium(headless);
  if (own) return { path: own, source: 'playwright' };
  const system = [...(headless ? SYSTEM_HEADLESS_SHELL : []), ...SYSTEM_CHROMIUM].find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  return { problem: `no Chromium found (looked for Playwright's own and ${[...SYSTEM_HEADLESS_SHELL, ...SYSTEM_CHROMIUM].join(', ')}): ${HOW_TO_GET_ONE}` };
}

async function playwrightChromium(headless: boolean): Promise<string | undefined> {
  let full: string | undefined;
  try {
    const { chromium } = await import('playwright');
    full = chromium.executablePath();
  } catch {
    // Playwright throws when its browser registry has no entry for this platform.
    return undefined;
  }
  if (!full || !existsSync(full)) return undefined;
  return (headless && playwrightHeadlessShell(full)) || full;
}

/** `<cache>/chromium-N/<dir>/chrome` → `<cache>/chromium_headless_shell-N/<dir>/(chrome-)headless_shell`, if installed. */
function playwrightHeadlessShell(full: string): string | undefined {
  const revisionDir = dirname(dirname(full));
  const shellDir = join(dirname(revisionDir), basename(revisionDir).replace(/^chromium-/, 'chromium_headless_shell-'));
  try {
    for (const sub of readdirSync(shellDir)) {
      for (const name of ['chrome-headless-shell', 'headless_shell']) if (existsSync(join(shellDir, sub, name))) return join(shellDir, sub, name);
    }
  } catch {
    // No headless shell downloaded next to Playwright's Chromium.
  }
  return undefined;
}
