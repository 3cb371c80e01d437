// Launching Chromium the way this kind of machine needs it: as root, offline, no GPU. Playwright
// is imported on first launch: a run without browser steps never pays its second of loading.
import type { Browser } from 'playwright';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface LaunchSettings {
  executablePath: string;
  headless?: boolean;
}

export function launchOptions(s: LaunchSettings) {
  // Signals are ours: the CLI lets cleanup steps finish after SIGTERM and closes the browser in its
  // shutdown; Playwright's own 'exit' handler still kills it if the process ends any other way.
  return { executablePath: s.executablePath, args: CHROMIUM_ARGS, headless: s.headless ?? true, handleSIGINT: false, handleSIGTERM: false };
}

export async function launch(s: LaunchSettings): Promise<Browser> {
  const { chromium } = await import('playwright');
  return chromium.launch(launchOptions(s));
}
