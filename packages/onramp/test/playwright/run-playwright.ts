// Runs `npx playwright test` as a user would in packages/onramp (its playwright.config.ts), whatever
// folder vitest runs from, and reads the reports it writes.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { readZip } from '../../src/engine/browser/zip.ts';

export const ONRAMP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const JOURNEYS_DIR = join(ONRAMP_DIR, 'journeys');

export interface PlaywrightRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of the run: this process's, without onramp's or Playwright's own settings, plus `env`. */
function runEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ONRAMP_(CONFIG|TARGET|FAULTS)|PLAYWRIGHT_)/.test(k)));
  return { ...clean, CI: '1', ...env };
}

export const playwright = (args: string[], env: Record<string, string> = {}): Promise<PlaywrightRun> =>
  promisify(execFile)('npx', ['playwright', 'test', '--config', join(ONRAMP_DIR, 'playwright.config.ts'), ...args], { cwd: ONRAMP_DIR, env: runEnv(env), maxBuffer: 64 << 20 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout: string; stderr: string }) => ({ code: err.code ?? -1, stdout: err.stdout, stderr: err.stderr }),
  );

/** The HTML report's data: a zip embedded in index.html as a base64 data URL. */
export async function htmlReportData(htmlDir: string): Promise<Map<string, unknown>> {
  const html = await readFile(join(htmlDir, 'index.html'), 'utf8');
  const b64 = /<template id="playwrightReportBase64">data:application\/zip;base64,([^<]+)<\/template>/.exec(html)?.[1];
  expect(b64, 'embedded report data').toBeDefined();
  return new Map(readZip(Buffer.from(b64!, 'base64')).map((e) => [e.name, JSON.parse(e.data.toString('utf8'))]));
}

/** 1-based line and column of the first match of `pattern` in a file, and the column where that line's code starts. */
export async function lineOf(file: string, pattern: RegExp): Promise<{ line: number; column: number; start: number }> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const line = lines.findIndex((l) => pattern.test(l));
  expect(line, `${pattern} in ${file}`).toBeGreaterThanOrEqual(0);
  return { line: line + 1, column: lines[line]!.search(pattern) + 1, start: lines[line]!.search(/\S/) + 1 };
}
