// Chromium for the repository's own browser tests (both packages): ONRAMP_CHROMIUM, else the
// system's headless shell or full browser, launched as this kind of machine needs it (root,
// offline, no GPU). onramp's own browser steps find theirs in packages/onramp/src/engine/browser/.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export async function launchChromium(): Promise<Browser> {
  const path = [process.env.ONRAMP_CHROMIUM, ...CANDIDATES].find((p): p is string => !!p && existsSync(p));
  if (!path) throw new Error(`no Chromium for the browser tests: set ONRAMP_CHROMIUM or install one (apt-get install -y chromium-headless-shell); looked at ${CANDIDATES.join(', ')}`);
  return chromium.launch({
    executablePath: path,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
