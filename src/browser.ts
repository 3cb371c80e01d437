// Launching Chromium for onramp: Debian's /usr/bin/chromium (Playwright's own download cannot be
// fetched here), with the flags a root, offline machine needs.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string | undefined {
  const candidates = [process.env.ONRAMP_CHROMIUM, process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error('No Chromium found: install it (Debian: `apt-get install -y chromium`) or set ONRAMP_CHROMIUM to its path');
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
