// The wiring: what every way of running journeys shares (onramp run, onramp monitor, triage
// --retest, the Playwright Test integration): the target named on the command line checked against
// the config, the embedded sandbox booted lazily (a run against staging never loads its package),
// the executors of every step kind, the reporters and the evidence sink, and the run meta.
import { join } from 'node:path';
import type { OnrampConfig } from '../config/load.ts';
import type { Target } from '../engine/target.ts';
import type { RunMeta, RunResult } from '../engine/results.ts';
import { runJourneys } from '../engine/runner.ts';
import { fanOut, type Reporter } from '../engine/reporter.ts';
import { ConsoleReporter } from '../reporters/console.ts';
import type { JourneyDefinition } from '../engine/journey.ts';
import { loadJourneys, JourneyLoadError } from '../engine/load-journeys.ts';
import { loadContracts, ContractLoadError } from '../contracts/index.ts';
import type { ResponseValidator, StepExecutor } from '../engine/executors/executor.ts';
import { createHttpExecutor } from '../engine/executors/http.ts';
import { createIdpExecutor } from '../engine/executors/idp.ts';
import { createDbExecutor } from '../engine/executors/db.ts';
import { createBrowserExecutor, type BrowserExecutorOptions } from '../engine/executors/browser.ts';
import { ONRAMP_VERSION } from '../version.ts';
import { loadSandbox, sandboxFaultNames, sandboxTarget, type SandboxHandle, type SandboxProvider } from './sandbox.ts';

/**
 * Problems with --target and --fault, each naming the option and what is known. With
 * `remoteFaults`, faults may also go to a running sandbox named in the config (sandbox.control_token).
 */
export async function targetProblems(targetName: string, faults: string[], config: OnrampConfig | undefined, configFile: string | undefined, o: { remoteFaults?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  // A config file that did not load has said why already: its targets are unknown, not missing.
  const unread = !!configFile && !config;
  if (targetName !== 'sandbox' && !unread && !config?.targetNames.includes(targetName)) {
    problems.push(`--target: no target named "${targetName}" (known: ${['sandbox', ...(config?.targetNames ?? [])].join(', ')}${configFile ? '' : '; no config file found'})`);
  }
  const remote = o.remoteFaults && !!config?.targets.get(targetName)?.sandbox;
  if (faults.length && targetName !== 'sandbox' && !remote) {
    problems.push(`--fault: faults exist only in ${o.remoteFaults ? 'a sandbox (the embedded one, or a config target with sandbox.control_token)' : 'the embedded sandbox'}, not in target "${targetName}"`);
  }
  // Without the sandbox package installed, a running sandbox judges the names itself.
  const known = faults.length ? await sandboxFaultNames() : undefined;
  const unknown = faults.filter((f) => known && !known.includes(f));
  if (unknown.length) problems.push(`--fault: unknown fault ${unknown.map((f) => `"${f}"`).join(', ')} (known: ${known!.join(', ')})`);
  return problems;
}

/**
 * The target a command runs against: --target, else the config's defaults.target, else the embedded
 * sandbox, but only when the config names no target of its own: a canary pointed at a config of
 * real targets must never check the sandbox instead without saying so.
 */
export function selectTarget(option: string | undefined, config: OnrampConfig | undefined, problems: string[]): string {
  const name = option ?? config?.defaults.target;
  if (name) return name;
  const named = config?.targetNames ?? [];
  if (named.length) problems.push(`--target: the config names target${named.length > 1 ? 's' : ''} ${named.map((n) => `"${n}"`).join(', ')} but no defaults.target: pass --target NAME (or --target sandbox for the embedded sandbox)`);
  return named[0] ?? 'sandbox';
}

/** Starts the embedded sandbox, its package loaded only now. */
export async function bootSandbox(o: Parameters<SandboxProvider['start']>[0]): Promise<SandboxHandle> {
  return (await loadSandbox()).start(o);
}

/** The embedded sandbox for one run of journeys, its request log in `logDir/sandbox.log`. */
export async function bootRunSandbox(faults: string[], logDir: string): Promise<SandboxHandle> {
  const { default: pino } = await import('pino');
  return bootSandbox({
    faults,
    // The sandbox's own request log goes to a file: the console is for the run's progress.
    log: pino({ base: undefined }, pino.destination({ dest: join(logDir, 'sandbox.log'), sync: false })),
    // A run's sandbox lives seconds, not hours: reconcile often so drift journeys see the worker.
    workerIntervalMs: 500,
  });
}

/** The embedded sandbox as a target, or the configured one. */
export function resolveTarget(sandbox: SandboxHandle | undefined, config: OnrampConfig | undefined, targetName: string): Target {
  return sandbox ? sandboxTarget(sandbox) : config!.targets.get(targetName)!;
}

/**
 * One executor per step kind; the browser one launches Chromium only when a browser step runs.
 * Without `browser` settings there is no browser executor (Playwright Test brings its own per test).
 */
export const createExecutors = (contracts: ResponseValidator | undefined, browser?: BrowserExecutorOptions): StepExecutor[] => [
  createHttpExecutor({ contracts }),
  createIdpExecutor(),
  createDbExecutor(),
  ...(browser ? [createBrowserExecutor(browser)] : []),
];

export const runMeta = (target: Target, faults: string[]): RunMeta => ({
  onrampVersion: ONRAMP_VERSION,
  targetUrls: { api: target.apiUrl, idp: target.idpUrl, ...(target.consoleUrl ? { console: target.consoleUrl } : {}) },
  faults,
});

/**
 * The journeys (the built-in ones and the config's journeys.dir, as journeys.builtin says) and the
 * contracts, loaded together; what fails to load joins the command's problems.
 */
export async function loadJourneysAndContracts(config: OnrampConfig | undefined, problems: string[]): Promise<{ journeys: JourneyDefinition[]; contracts?: ResponseValidator }> {
  const [journeys, contracts] = await Promise.allSettled([loadJourneys(config?.journeys ?? {}), loadContracts(config?.contracts)]);
  for (const r of [journeys, contracts]) {
    if (r.status !== 'rejected') continue;
    if (!(r.reason instanceof JourneyLoadError || r.reason instanceof ContractLoadError)) throw r.reason;
    problems.push(r.reason.message);
  }
  return { journeys: journeys.status === 'fulfilled' ? journeys.value : [], contracts: contracts.status === 'fulfilled' ? contracts.value : undefined };
}

/** `--journey` ids that name no journey, as a problem listing the known ones. */
export const unknownJourneys = (option: string, ids: string[], all: JourneyDefinition[]): string =>
  `${option}: no journey with id ${ids.map((i) => `"${i}"`).join(', ')} (known: ${all.map((j) => j.id).join(', ')})`;

/** The reporters named by --reporter or the config; unknown names come back as problems. */
export { createReporters, REPORTERS } from '../reporters/index.ts';

/** The evidence sink of a run, its collectors loaded only now; it goes first so the reports can link its bundles. */
export async function evidenceSink(target: Target, outputDir: string, sandboxLog: string | undefined): Promise<Reporter> {
  const [{ EvidenceSink }, { TriageSources, logSourceFor }] = await Promise.all([import('../triage/evidence-sink.ts'), import('../triage/sources.ts')]);
  return new EvidenceSink(outputDir, new TriageSources(target, logSourceFor(target, sandboxLog)));
}

/**
 * One journey once against a target, as `onramp run` would run it (every step kind, the browser's
 * too), its progress on the console: `onramp triage --retest`.
 */
export async function runOnce(journey: JourneyDefinition, target: Target, config: OnrampConfig | undefined, outputDir: string): Promise<RunResult> {
  const contracts = await loadContracts(config?.contracts);
  const executors = createExecutors(contracts, { ...config?.browser, outputDir });
  try {
    const reporter = fanOut([new ConsoleReporter()], (name, hook, err) => console.error(`reporter ${name} failed in ${hook}: ${(err as Error).message}`));
    return await runJourneys({ journeys: [journey], target, executors, meta: runMeta(target, []), reporter });
  } finally {
    for (const e of executors) await e.close?.();
  }
}
