// Playwright Test runs onramp's journeys (`npx playwright test`): each journey a test, each step
// a test.step, against the target of onramp's config (the embedded sandbox by default);
// ONRAMP_CONFIG, ONRAMP_TARGET and ONRAMP_FAULTS stand in for `onramp run`'s --config, --target and
// --fault (src/integrations/playwright.ts). The browser is found and launched as `onramp run` does
// it (ONRAMP_BROWSER or the config's browser.executable_path, ONRAMP_CHROMIUM, Playwright's own,
// the system's Chromium).
import { defineConfig } from '@playwright/test';
import { findBrowser } from './src/engine/browser/find-browser.ts';
import { launchOptions } from './src/engine/browser/launch.ts';
import { VIEWPORT } from './src/engine/executors/browser.ts';
import { onrampConfig } from './src/integrations/playwright.ts';

const browser = (await onrampConfig())?.browser;
const found = await findBrowser(process.env.ONRAMP_BROWSER ?? browser?.executablePath, { headless: browser?.headless });

export default defineConfig({
  testDir: './test/playwright',
  testMatch: '*.pw.ts',
  // One worker: each starts its own sandbox, and the journeys run one after the other in it.
  workers: 1,
  fullyParallel: false,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    headless: browser?.headless ?? true,
    viewport: VIEWPORT,
    ...('path' in found ? { launchOptions: launchOptions({ executablePath: found.path, headless: browser?.headless }) } : {}),
  },
});
