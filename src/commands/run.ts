// `onramp run`: journeys against a target (the embedded sandbox by default), reports, exit code
// 0 when every journey passed, 1 when any failed or was flaky (or the run failed as a whole),
// 2 for usage or config errors (all named at once), 130/143 when SIGINT/SIGTERM cut it short.
import { join, resolve } from 'node:path';
import type { Command } from '../cli.ts';
import { findConfigFile, usageProblems } from './common.ts';
import { parseOptions, wholeNumber } from './parse-options.ts';
import { prepareOutputDir } from './output-dir.ts';
import { watchRun } from './run-watch.ts';
import { ConfigError, loadConfig, type OnrampConfig } from '../config/load.ts';
import { loadJourneys, selectJourneys, JourneyLoadError } from '../engine/load-journeys.ts';
import { reportFailedRun, runJourneys } from '../engine/runner.ts';
import { createHttpExecutor } from '../engine/executors/http.ts';
import { createIdpExecutor } from '../engine/executors/idp.ts';
import { createDbExecutor } from '../engine/executors/db.ts';
import { createBrowserExecutor } from '../engine/executors/browser.ts';
import type { Target } from '../engine/target.ts';
import type { RunMeta, RunResult } from '../engine/results.ts';
import { REPORTERS, createReporters } from '../reporters/index.ts';
import { fanOut } from '../reporters/reporter.ts';
import { summarise } from '../reporters/json.ts';
import { loadContracts, ContractLoadError } from '../contracts/index.ts';
import { FAULTS } from '../sandbox/faults/catalog.ts';
import { ONRAMP_VERSION } from '../version.ts';
import type { RunningSandbox } from '../sandbox/start.ts';

const USAGE = '[--target sandbox|NAME] [--config FILE] [--journey ID]... [--tag T]... [--grep RE] [--reporter console,json,junit] [--output DIR] [--retries N] [--concurrency N] [--keep] [--fault NAME]... [--trace] [--browser PATH]';

/** Journeys at once by default: enough to overlap their waits, few enough to stay gentle on a target. */
const DEFAULT_CONCURRENCY = 4;

const OPTIONS = {
  target: { type: 'string' },
  config: { type: 'string' },
  journey: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  grep: { type: 'string' },
  reporter: { type: 'string' },
  output: { type: 'string' },
  retries: { type: 'string' },
  concurrency: { type: 'string' },
  keep: { type: 'boolean' },
  fault: { type: 'string', multiple: true },
  trace: { type: 'boolean' },
  browser: { type: 'string' },
} as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run journeys against a target (default: the embedded sandbox) and write reports',
  usage: USAGE,
  async run(args) {
    const { values, problems } = parseOptions(args, OPTIONS);
    let config: OnrampConfig | undefined;
    const configFile = findConfigFile(values.config);
    if (configFile) {
      try {
        config = await loadConfig(configFile);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.push(err.message);
      }
    }
    const faults = values.fault ?? [];
    const targetName = values.target ?? config?.defaults.target ?? 'sandbox';
    if (targetName !== 'sandbox' && !config?.targets.has(targetName)) {
      problems.push(`--target: no target named "${targetName}" (known: ${['sandbox', ...(config?.targets.keys() ?? [])].join(', ')}${configFile ? '' : '; no config file found'})`);
    }
    if (faults.length && targetName !== 'sandbox') problems.push(`--fault: faults exist only in the embedded sandbox, not in target "${targetName}"`);
    const unknownFaults = faults.filter((f) => !FAULTS.some((k) => k.name === f));
    if (unknownFaults.length) problems.push(`--fault: unknown fault ${unknownFaults.map((f) => `"${f}"`).join(', ')} (known: ${FAULTS.map((f) => f.name).join(', ')})`);
    const retries = wholeNumber('retries', values.retries, config?.defaults.retries ?? 0, 0, 10, problems);
    const concurrency = wholeNumber('concurrency', values.concurrency, DEFAULT_CONCURRENCY, 1, 32, problems);
    let grep: RegExp | undefined;
    try {
      grep = values.grep ? new RegExp(values.grep) : undefined;
    } catch (err) {
      problems.push(`--grep: ${(err as Error).message}`);
    }
    const reporterNames = (values.reporter?.split(',') ?? config?.defaults.reporters ?? ['console']).map((s) => s.trim()).filter(Boolean);
    if (!reporterNames.length) problems.push(`--reporter: names no reporter (known: ${Object.keys(REPORTERS).join(', ')})`);
    const outputDir = resolve(values.output ?? config?.defaults.output ?? 'onramp-results');
    const { reporters, unknown } = createReporters(reporterNames, outputDir);
    if (unknown.length) problems.push(`--reporter: unknown reporter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${Object.keys(REPORTERS).join(', ')})`);
    const outputProblem = await prepareOutputDir(outputDir);
    if (outputProblem) problems.push(`--output: ${outputProblem}`);

    // The sandbox boots (about 2 s) while journeys and contracts load; on a usage error it is closed again.
    const booting = targetName === 'sandbox' && !problems.length ? bootSandbox(faults, outputDir) : undefined;
    booting?.catch(() => undefined);
    const [journeysLoaded, contractsLoaded] = await Promise.allSettled([loadJourneys(config?.journeys.dir), loadContracts(config?.contracts)]);
    let selected: Awaited<ReturnType<typeof loadJourneys>> = [];
    if (journeysLoaded.status === 'rejected') {
      if (!(journeysLoaded.reason instanceof JourneyLoadError)) throw journeysLoaded.reason;
      problems.push(journeysLoaded.reason.message);
    } else {
      const journeys = journeysLoaded.value;
      const picked = selectJourneys(journeys, { ids: values.journey ?? [], tags: values.tag?.length ? values.tag : config?.journeys.tags, grep });
      selected = picked.selected;
      if (picked.unknownIds.length) problems.push(`--journey: no journey with id ${picked.unknownIds.map((i) => `"${i}"`).join(', ')} (known: ${journeys.map((j) => j.id).join(', ')})`);
      else if (!selected.length) problems.push('no journey matches the selection (--journey, --tag, --grep)');
    }
    if (contractsLoaded.status === 'rejected') {
      if (!(contractsLoaded.reason instanceof ContractLoadError)) throw contractsLoaded.reason;
      problems.push(contractsLoaded.reason.message);
    }
    const booted = await booting?.then((sandbox) => ({ sandbox }), (error: Error) => ({ error }));
    const sandbox = booted && 'sandbox' in booted ? booted.sandbox : undefined;
    if (problems.length) {
      await sandbox?.close();
      throw usageProblems(problems, `onramp run ${USAGE}`);
    }

    // Options and config are valid from here on: whatever happens, the reports are written.
    const onReporterError = (name: string, hook: string, err: unknown) => console.error(`onramp run: reporter ${name} failed in ${hook}: ${(err as Error).message}`);
    const paths = writtenPaths(reporterNames, outputDir, targetName === 'sandbox');
    if (booted && 'error' in booted) {
      const meta: RunMeta = { onrampVersion: ONRAMP_VERSION, targetUrls: { api: 'not started', idp: 'not started' }, faults };
      const run = await reportFailedRun({ journeys: selected, target: targetName, reporter: fanOut(reporters, onReporterError), meta }, { code: 'target_start_failed', message: `the embedded sandbox did not start: ${booted.error.message}` });
      printClosing(run, reporterNames, paths);
      return 1;
    }
    const target: Target = sandbox ? (await import('../engine/sandbox-target.ts')).sandboxTarget(sandbox) : config!.targets.get(targetName)!;
    const meta: RunMeta = { onrampVersion: ONRAMP_VERSION, targetUrls: { api: target.apiUrl, idp: target.idpUrl, ...(target.consoleUrl ? { console: target.consoleUrl } : {}) }, faults: sandbox?.faults.list() ?? [] };
    const contracts = contractsLoaded.status === 'fulfilled' ? contractsLoaded.value : undefined;
    const browser = { ...config?.browser, ...(values.browser ? { executablePath: resolve(values.browser) } : {}), ...(values.trace ? { traceAll: true } : {}) };
    const executors = [createHttpExecutor({ contracts }), createIdpExecutor(), createDbExecutor(), createBrowserExecutor({ ...browser, outputDir })];
    const watch = watchRun(target);
    try {
      const run = await runJourneys({ journeys: selected, target, executors, retries, concurrency, meta, keepFailed: values.keep, signal: watch.signal, reporter: fanOut([...reporters, watch.reporter], onReporterError) });
      printClosing(run, reporterNames, paths);
      if (values.keep) printKept(run, targetName);
      return watch.exitCode() ?? (run.status === 'passed' ? 0 : 1);
    } finally {
      watch.stop();
      for (const e of executors) await e.close?.();
      await sandbox?.close();
    }
  },
};

async function bootSandbox(faults: string[], outputDir: string): Promise<RunningSandbox> {
  // Loaded only for the sandbox target: a run against staging never loads the sandbox's code.
  const [{ startSandbox }, { default: pino }] = await Promise.all([import('../sandbox/start.ts'), import('pino')]);
  return startSandbox({
    faults,
    // The sandbox's own request log goes to a file: the console is for the run's progress.
    log: pino({ base: undefined }, pino.destination({ dest: join(outputDir, 'sandbox.log'), sync: false })),
    // A run's sandbox lives seconds, not hours: reconcile often so drift journeys see the worker.
    workerIntervalMs: 500,
  });
}

const FILES: Record<string, string> = { json: 'results.json', junit: 'junit.xml' };

function writtenPaths(reporterNames: string[], outputDir: string, sandbox: boolean): string[] {
  return [...reporterNames.flatMap((n) => (FILES[n] ? [join(outputDir, FILES[n])] : [])), ...(sandbox ? [join(outputDir, 'sandbox.log')] : [])];
}

/** Where the reports are; a run without the console reporter still says how it went, in one line. */
function printClosing(run: RunResult, reporterNames: string[], paths: string[]): void {
  if (!reporterNames.includes('console')) {
    const s = summarise(run);
    console.log(`onramp run ${run.runId}: ${run.status}: ${s.total} journeys, ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.error} error, ${s.skipped} skipped${s.interrupted ? `, ${s.interrupted} interrupted` : ''}${run.error ? ` [${run.error.code}] ${run.error.message}` : ''}`);
  }
  if (paths.length) console.log(`Reports: ${paths.join(', ')}`);
}

function printKept(run: RunResult, targetName: string): void {
  const kept = run.journeys.filter((j) => j.attempts.some((a) => a.steps.some((s) => s.status === 'skipped' && s.message?.startsWith('kept for investigation'))));
  if (!kept.length) return;
  const how = targetName === 'sandbox' ? 'the embedded sandbox ends with this run, and them with it; to investigate, run against `onramp sandbox` (see README)' : `remove them with: onramp sweep --target ${targetName} --ttl 0s`;
  console.log(`Kept the synthetic identities (onramp-syn-${run.runId}-*) of ${kept.map((j) => j.id).join(', ')}: ${how}`);
}
