// Chromium for onramp's own browser tests: found and launched as browser steps do it
// (src/engine/browser/), failing with how to get one when there is none.
import type { Browser } from 'playwright';
import { findBrowser } from './engine/browser/find-browser.ts';
import { launch } from './engine/browser/launch.ts';

export async function launchChromium(): Promise<Browser> {
  const found = await findBrowser();
  if ('problem' in found) throw new Error(found.problem);
  return launch({ executablePath: found.path });
}
