// Opens a trace in Playwright's own viewer (`npx playwright show-trace`), served on a free port and
// read in Chromium: a trace the viewer cannot load shows no actions.
import { spawn } from 'node:child_process';
import { launchChromium } from '../../../../test/support/chromium.ts';

/** The viewer's text for the trace: step title, actions, parameters. */
export async function traceViewerText(file: string): Promise<string> {
  const viewer = spawn('npx', ['playwright', 'show-trace', '--port', '0', file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      viewer.stdout!.on('data', (d) => {
        out += d;
        const m = /Listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      viewer.once('exit', (code) => reject(new Error(`show-trace exited (${code}): ${out}`)));
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByText('Actions').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(500);
      return await page.locator('body').innerText();
    } finally {
      await browser.close();
    }
  } finally {
    process.kill(-viewer.pid!, 'SIGTERM');
  }
}
