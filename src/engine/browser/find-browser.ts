// Which Chromium to launch: the configured path first (an explicit choice: a wrong one is an
// error, never silently replaced), then ONRAMP_CHROMIUM, then Playwright's own download, then the
// system's Chromium under its usual names. Playwright (about a second to import) is loaded only
// when its own download is the place left to look.
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export const HOW_TO_GET_ONE =
  'install Chromium (Debian/Ubuntu: `apt-get install -y chromium`), or `npx playwright install chromium` where downloads work, or set browser.executable_path in the config (or --browser PATH)';

export type FoundBrowser = { path: string; source: 'configured' | 'ONRAMP_CHROMIUM' | 'playwright' | 'system' } | { problem: string };

export async function findBrowser(configured?: string, env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  if (configured) return existsSync(configured) ? { path: configured, source: 'configured' } : { problem: `no browser at the configured path ${configured}: ${HOW_TO_GET_ONE}` };
  if (env.ONRAMP_CHROMIUM) return existsSync(env.ONRAMP_CHROMIUM) ? { path: env.ONRAMP_CHROMIUM, source: 'ONRAMP_CHROMIUM' } : { problem: `no browser at ONRAMP_CHROMIUM=${env.ONRAMP_CHROMIUM}: ${HOW_TO_GET_ONE}` };
  const own = await playwrightChromium();
  if (own) return { path: own, source: 'playwright' };
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  return { problem: `no Chromium found (looked for Playwright's own and ${SYSTEM_CHROMIUM.join(', ')}): ${HOW_TO_GET_ONE}` };
}

async function playwrightChromium(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : undefined;
  } catch {
    // Playwright throws when its browser registry has no entry for this platform.
    return undefined;
  }
}
