// Journeys as Playwright tests: `npx playwright test` runs every journey (API and browser) as one
// test, each step as a test.step, against the target of the same config as `onramp run` (the
// embedded sandbox by default, started once per worker). Browser steps use Playwright Test's own
// worker browser (launched with the same settings) and attach their screenshots and traces, so
// the HTML report and its trace viewer show them; a failed step's code is in its error and in the
// test's annotations.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type Browser, type TestInfo } from '@playwright/test';
import type { JourneyDefinition, Step } from '../journey.ts';
import type { StepResult } from '../results.ts';
import { stepFailed } from '../results.ts';
import type { Target } from '../target.ts';
import type { StepExecutor } from '../executors/executor.ts';
import { runJourneys } from '../runner.ts';
import { createBrowserExecutor, type BrowserSettings } from '../executors/browser.ts';
import { loadContracts } from '../../contracts/index.ts';
import { loadConfig, type OnrampConfig } from '../../config/load.ts';
import { findConfigFile } from '../../commands/common.ts';
import { bootRunSandbox, createExecutors, resolveTarget } from '../../app/target.ts';

interface Onramp {
  target: Target;
  executors: StepExecutor[];
  browserSettings: BrowserSettings;
}

/** The config `onramp run` would use: ONRAMP_CONFIG, else onramp.config.* in the working folder. */
export async function onrampConfig(): Promise<OnrampConfig | undefined> {
  const file = findConfigFile(process.env.ONRAMP_CONFIG);
  return file ? loadConfig(file) : undefined;
}

export const test = base.extend<object, { onramp: Onramp }>({
  onramp: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const config = await onrampConfig();
      const targetName = process.env.ONRAMP_TARGET ?? config?.defaults.target ?? 'sandbox';
      if (targetName !== 'sandbox' && !config?.targets.has(targetName)) throw new Error(`ONRAMP_TARGET: no target named "${targetName}" (known: sandbox, ${[...(config?.targets.keys() ?? [])].join(', ')})`);
      // ONRAMP_FAULTS=a,b: the sandbox faults to switch on, as `onramp run --fault` does; its request
      // log stays out of the output.
      const faults = (process.env.ONRAMP_FAULTS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const sandbox = targetName === 'sandbox' ? await bootRunSandbox(faults, await mkdtemp(join(tmpdir(), 'onramp-pw-sandbox-'))) : undefined;
      try {
        const target = await resolveTarget(sandbox, config, targetName);
        const executors = createExecutors(await loadContracts(config?.contracts));
        await use({ target, executors, browserSettings: config?.browser ?? {} });
        for (const e of executors) await e.close?.();
      } finally {
        await sandbox?.close();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

/** One Playwright test per journey. */
export function journeyTests(journeys: JourneyDefinition[]): void {
  for (const journey of journeys) {
    const details = { tag: journey.tags.map((t) => `@${t}`), annotation: { type: 'journey', description: journey.id } };
    const body = async (onramp: Onramp, browser: Browser | undefined, testInfo: TestInfo) => {
      test.setTimeout((journey.timeoutMs ?? 120_000) + 30_000);
      const browserExecutor = browser ? createBrowserExecutor({ ...onramp.browserSettings, outputDir: testInfo.outputDir, browser: async () => browser }) : undefined;
      try {
        const executors = [...onramp.executors, ...(browserExecutor ? [browserExecutor] : [])];
        const run = await runJourneys({ journeys: [journey], target: onramp.target, executors, aroundStep: (step, go) => asTestStep(step, go, testInfo) });
        const j = run.journeys[0]!;
        testInfo.skip(j.status === 'skipped', j.reason);
      } finally {
        await browserExecutor?.close();
      }
    };
    // Only journeys with browser steps ask for Playwright's browser: API journeys run without one.
    if (journey.steps.some((s) => s.kind === 'browser')) test(journey.title, details, ({ onramp, browser }, testInfo) => body(onramp, browser, testInfo));
    else test(journey.title, details, ({ onramp }, testInfo) => body(onramp, undefined, testInfo));
  }
}

async function asTestStep(step: Step, go: () => Promise<StepResult>, testInfo: TestInfo): Promise<StepResult> {
  const title = `${step.kind}: ${step.name}${step.always ? ' (cleanup)' : ''}`;
  return test.step(title, async () => {
    const result = await go();
    for (const a of result.artifacts ?? []) {
      await testInfo.attach(a.kind === 'trace' ? 'trace' : `screenshot: ${step.name}`, { path: join(testInfo.outputDir, a.path), contentType: a.kind === 'trace' ? 'application/zip' : 'image/png' });
    }
    if (result.status === 'skipped') testInfo.annotations.push({ type: 'skipped step', description: `${step.name}: ${result.message}` });
    if (stepFailed(result)) {
      testInfo.annotations.push({ type: 'failure', description: `${step.name}: [${result.code}] ${result.message}` });
      // Soft: the test fails, the journey goes on to its cleanup steps as the runner decides.
      expect.soft(result.status, `[${result.code}] ${result.message}${result.correlationId ? ` (correlation id ${result.correlationId})` : ''}`).toBe('passed');
    }
    return result;
  });
}
