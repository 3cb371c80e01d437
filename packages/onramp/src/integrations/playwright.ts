// Journeys as Playwright tests: `npx playwright test` runs every journey (API and browser) as one
// test, each step as a test.step, against the target `onramp run` would pick from the same config
// (the embedded sandbox by default, started once per worker). Target, faults, journeys, contracts
// and executors come from the wiring every command shares (src/app/wiring.ts); the command line's
// --config, --target and --fault are the environment's ONRAMP_CONFIG, ONRAMP_TARGET and
// ONRAMP_FAULTS (comma-separated). Browser steps use Playwright Test's own worker browser (launched
// with the same settings) and attach their screenshots and traces to their step.
//
// In the report, a test's location is its journey file (the `defineJourney(` line) and a step's
// location the element of the journey's `steps` list that made it; a failed step's error says its
// code, expected, actual and correlation id, as the console reporter does, with a stack that points
// at that step in the journey file; a step the runner skipped is a skipped step.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import { test as base, type Browser, type TestInfo, type TestStepInfo } from '@playwright/test';
import type { JourneyDefinition, Step } from '../engine/journey.ts';
import type { StepResult } from '../engine/results.ts';
import { stepFailed } from '../engine/results.ts';
import type { Target } from '../engine/target.ts';
import type { ResponseValidator, StepExecutor } from '../engine/executors/executor.ts';
import { runJourneys } from '../engine/runner.ts';
import { selectJourneys } from '../engine/load-journeys.ts';
import { show } from '../engine/failure.ts';
import { createBrowserExecutor, type BrowserSettings } from '../engine/executors/browser.ts';
import type { OnrampConfig } from '../config/load.ts';
import { loadConfigCollecting } from '../commands/common.ts';
import { bootRunSandbox, createExecutors, loadJourneysAndContracts, resolveTarget, selectTarget, targetProblems } from '../app/wiring.ts';
import { loadSandbox, SandboxMissingError } from '../app/sandbox.ts';
import { journeyFile, journeyFolders, journeySource, type JourneySource, type SourceLocation } from './journey-source.ts';

/**
 * What is wrong before any test can run (config, ONRAMP_TARGET, ONRAMP_FAULTS, journeys, a missing
 * sandbox package): Playwright shows its message alone, as `onramp run` prints its usage problems;
 * a stack of onramp's internals would only hide it.
 */
export class OnrampSetupError extends Error {
  constructor(problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OnrampSetupError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The wiring names command-line options; here the environment stands in for them. */
export const asEnvironment = (problem: string): string =>
  problem
    .replace(/--target(?: (NAME|sandbox)\b)?/g, (_m, value?: string) => (value ? `ONRAMP_TARGET=${value}` : 'ONRAMP_TARGET'))
    .replace(/--fault\b/g, 'ONRAMP_FAULTS')
    .replace(/--config\b/g, 'ONRAMP_CONFIG');

export interface OnrampSetup {
  config?: OnrampConfig;
  targetName: string;
  faults: string[];
  contracts?: ResponseValidator;
  /** The journeys to run (the config's journeys.tags select, as for `onramp run`), each with where it is written. */
  journeys: { journey: JourneyDefinition; source: JourneySource }[];
}

/** The config `onramp run` would use: ONRAMP_CONFIG, else onramp.config.* in the working folder. */
export async function onrampConfig(env: NodeJS.ProcessEnv = process.env): Promise<OnrampConfig | undefined> {
  const problems: string[] = [];
  const { config } = await loadConfigCollecting(env.ONRAMP_CONFIG || undefined, problems, { select: { target: env.ONRAMP_TARGET || undefined } });
  if (problems.length) throw new OnrampSetupError(problems.map(asEnvironment));
  return config;
}

/** Everything a run needs before its first test, every problem at once (OnrampSetupError). */
export async function loadOnrampSetup(env: NodeJS.ProcessEnv = process.env): Promise<OnrampSetup> {
  const problems: string[] = [];
  const { config, configFile } = await loadConfigCollecting(env.ONRAMP_CONFIG || undefined, problems, { select: { target: env.ONRAMP_TARGET || undefined } });
  const targetName = selectTarget(env.ONRAMP_TARGET || undefined, config, problems);
  const faults = (env.ONRAMP_FAULTS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  problems.push(...(await targetProblems(targetName, faults, config, configFile)));
  // The sandbox package is optional: say so now, not once per test when the worker fails to boot it.
  if (targetName === 'sandbox' && !problems.length) {
    await loadSandbox(env.ONRAMP_TARGET ? 'ONRAMP_TARGET is "sandbox"' : 'no target is configured').catch((err: unknown) => {
      if (!(err instanceof SandboxMissingError)) throw err;
      problems.push(err.message);
    });
  }
  const { journeys, contracts } = await loadJourneysAndContracts(config, problems);
  if (problems.length) throw new OnrampSetupError(problems.map(asEnvironment));
  const folders = journeyFolders(config?.journeys);
  const { selected } = selectJourneys(journeys, { tags: config?.journeys.tags });
  return {
    config,
    targetName,
    faults,
    contracts,
    journeys: selected.map((journey) => {
      // loadJourneys checked that each id is its file's stem; the file is in one of the folders.
      const file = journeyFile(journey.id, folders) ?? join(folders.at(-1) ?? '.', `${journey.id}.journey.ts`);
      return { journey, source: journeySource(file, journey.steps.length) };
    }),
  };
}

let setup: Promise<OnrampSetup> | undefined;
/** The setup, loaded once per process (Playwright's loader and each worker). */
export const onrampSetup = (): Promise<OnrampSetup> => (setup ??= loadOnrampSetup());

interface Onramp {
  target: Target;
  executors: StepExecutor[];
  browserSettings: BrowserSettings;
}

export const test = base.extend<object, { onramp: Onramp }>({
  onramp: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      const s = await onrampSetup();
      let sandbox: Awaited<ReturnType<typeof bootRunSandbox>> | undefined;
      if (s.targetName === 'sandbox') {
        // The sandbox's request log goes beside the test results, out of the console.
        const logDir = join(workerInfo.project.outputDir, `onramp-sandbox-worker-${workerInfo.workerIndex}`);
        await mkdir(logDir, { recursive: true });
        sandbox = await bootRunSandbox(s.faults, logDir).catch((err: unknown) => {
          throw err instanceof SandboxMissingError ? new OnrampSetupError([asEnvironment(err.message)]) : err;
        });
      }
      try {
        const executors = createExecutors(s.contracts);
        try {
          await use({ target: resolveTarget(sandbox, s.config, s.targetName), executors, browserSettings: s.config?.browser ?? {} });
        } finally {
          for (const e of executors) await e.close?.();
        }
      } finally {
        await sandbox?.close();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

/** One Playwright test per journey, declared at its journey file. */
export function journeyTests(s: Pick<OnrampSetup, 'journeys'>): void {
  for (const { journey, source } of s.journeys) {
    const details = { tag: journey.tags.map((t) => `@${t}`), annotation: { type: 'journey', description: journey.id } };
    const body = async (onramp: Onramp, browser: Browser | undefined, testInfo: TestInfo) => {
      test.setTimeout((journey.timeoutMs ?? 120_000) + 30_000);
      const browserExecutor = browser ? createBrowserExecutor({ ...onramp.browserSettings, outputDir: testInfo.outputDir, browser: async () => browser }) : undefined;
      const failures: StepFailureError[] = [];
      try {
        const executors = [...onramp.executors, ...(browserExecutor ? [browserExecutor] : [])];
        const at = (step: Step) => source.steps[journey.steps.indexOf(step)] ?? source.journey;
        const run = await runJourneys({ journeys: [journey], target: onramp.target, executors, aroundStep: (step, go) => asTestStep(journey, step, at(step), go, testInfo, failures) });
        const j = run.journeys[0]!;
        testInfo.skip(j.status === 'skipped', j.reason);
      } finally {
        await browserExecutor?.close();
      }
      // Each failed step failed its test.step already; the test fails once, with all of them.
      if (failures.length) throw journeyFailure(journey, failures);
    };
    // Only journeys with browser steps ask for Playwright's browser: API journeys run without one.
    if (journey.steps.some((s) => s.kind === 'browser')) declareAt(source.journey, journey.title, details, ({ onramp, browser }: { onramp: Onramp; browser: Browser }, testInfo: TestInfo) => body(onramp, browser, testInfo));
    else declareAt(source.journey, journey.title, details, ({ onramp }: { onramp: Onramp }, testInfo: TestInfo) => body(onramp, undefined, testInfo));
  }
}

/**
 * Declares a test whose location is `at`. Playwright Test 1.65 has no option for a test's location
 * (test.step has one, test() does not): test() takes it from the frame that calls it
 * (wrapFunctionWithLocation, nodeCallerLocation), after a source-map lookup (wrapCallSite). So the
 * call is made from a one-line function compiled by vm with `at.file` as its file name and the call
 * placed at `at.line` and `at.column`: V8 reports that frame as the journey file, at its
 * `defineJourney(` line and column. The source-map lookup leaves it there: Playwright keys the maps
 * of the files it transformed by module URL (file://...; journeys are ES modules, loaded by
 * import()), not by the plain path used here, and the journey's source carries no sourceMappingURL.
 * (Named by its file URL instead, the frame would be mapped through the transpiled journey's map and
 * land some 20 lines off.) The function only forwards its arguments: nothing of the journey file
 * is evaluated.
 */
function declareAt(at: SourceLocation, title: string, details: object, body: (...args: never[]) => Promise<void>): void {
  const call = compileFunction(`${' '.repeat(Math.max(0, at.column - 1))}test(title, details, body);`, ['test', 'title', 'details', 'body'], { filename: at.file, lineOffset: at.line - 1 });
  call(test, title, details, body);
}

async function asTestStep(journey: JourneyDefinition, step: Step, at: SourceLocation, go: () => Promise<StepResult>, testInfo: TestInfo, failures: StepFailureError[]): Promise<StepResult> {
  const title = `${step.kind}: ${step.name}${step.always ? ' (cleanup)' : ''}`;
  let result: StepResult | undefined;
  let failure: StepFailureError | undefined;
  // Not { box: true }: a boxed step's error gets the stack of the test.step call, this adapter's;
  // the step's `location` and the error's own stack point at the journey instead.
  await test
    .step(
      title,
      async (info: TestStepInfo) => {
        const r = (result = await go());
        for (const a of r.artifacts ?? []) {
          await info.attach(a.kind === 'trace' ? 'trace' : `screenshot: ${step.name}`, { path: join(testInfo.outputDir, a.path), contentType: a.kind === 'trace' ? 'application/zip' : 'image/png' });
        }
        if (r.status === 'skipped') {
          testInfo.annotations.push({ type: 'skipped step', description: `${step.name}: ${r.message}` });
          // Ends the step as skipped (the HTML report marks it so; its title gets the reason).
          info.skip(true, r.message);
        }
        if (stepFailed(r)) {
          testInfo.annotations.push({ type: 'failure', description: `${step.name}: [${r.code}] ${r.message}` });
          throw (failure = new StepFailureError(journey, r, at));
        }
      },
      { location: at },
    )
    // The step shows its failure; the journey goes on to its cleanup steps as the runner decides.
    .catch((err: unknown) => {
      if (!failure || err !== failure) throw err;
      failures.push(failure);
    });
  return result!;
}

/** A failed step as an error: its code, expected, actual and correlation id, its stack at the step in the journey file. */
export class StepFailureError extends Error {
  constructor(
    journey: JourneyDefinition,
    readonly result: StepResult,
    readonly at: SourceLocation,
  ) {
    super(failureText(result));
    this.name = result.status === 'error' ? 'StepError' : 'StepFailure';
    this.stack = `${this.name}: ${this.message}\n${frame(journey, at)}`;
  }
}

/** The step's failure as the console reporter's summary shows it. */
export function failureText(f: StepResult): string {
  return [
    `${f.name}: [${f.code}] ${f.message ?? ''}`,
    `  code:           ${f.code}`,
    `  expected:       ${show(f.expected)}`,
    `  actual:         ${show(f.actual)}`,
    `  correlation_id: ${f.correlationId ?? 'none'}`,
    ...f.violations.map((v) => `  contract:       ${v.message}`),
  ].join('\n');
}

// A V8-style frame: Playwright reads the error's location (and the snippet it shows) from it. It
// drops frames under node_modules, so for the built-in journeys of an installed onramp the error
// keeps its text but has no location; the test's location is not filtered.
const frame = (journey: JourneyDefinition, at: SourceLocation) => `    at ${journey.id} (${at.file}:${at.line}:${at.column})`;

/** The test's own error: every failed step, its stack one frame per step. */
function journeyFailure(journey: JourneyDefinition, failures: StepFailureError[]): Error {
  const [first] = failures;
  if (failures.length === 1) return Object.assign(new Error(first!.message), { name: first!.name, stack: first!.stack });
  const message = `${failures.length} steps failed:\n\n${failures.map((f) => f.message).join('\n\n')}`;
  return Object.assign(new Error(message), { name: 'StepFailure', stack: `StepFailure: ${message}\n${failures.map((f) => frame(journey, f.at)).join('\n')}` });
}
