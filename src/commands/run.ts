// `onramp run`: journeys against a target (the embedded sandbox by default), reports, exit code
// 0 when every journey passed, 1 when any failed or was flaky, 2 for usage or config errors.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { Command } from '../cli.ts';
import { findConfigFile, usageError as usage } from './common.ts';
import { ConfigError, loadConfig, type OnrampConfig } from '../config/load.ts';
import { loadJourneys, selectJourneys, JourneyLoadError } from '../engine/load-journeys.ts';
import { reportFailedRun, runJourneys } from '../engine/runner.ts';
import { watchRun } from './run-watch.ts';
import { createHttpExecutor } from '../engine/executors/http.ts';
import { createIdpExecutor } from '../engine/executors/idp.ts';
import { createDbExecutor } from '../engine/executors/db.ts';
import { sandboxTarget } from '../engine/sandbox-target.ts';
import type { Target } from '../engine/target.ts';
import { createReporters } from '../reporters/index.ts';
import { fanOut } from '../reporters/reporter.ts';
import { loadContracts, ContractLoadError } from '../contracts/index.ts';
import { startSandbox, type RunningSandbox } from '../sandbox/start.ts';
import { UnknownFaultError } from '../sandbox/faults/fault-set.ts';


export const runCommand: Command = {
  name: 'run',
  summary: 'Run journeys against a target (default: the embedded sandbox) and write reports',
  usage: '[--target sandbox|NAME] [--config FILE] [--journey ID]... [--tag T]... [--grep RE] [--reporter console,json,junit] [--output DIR] [--retries N] [--concurrency N] [--fault NAME]...',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        target: { type: 'string' },
        config: { type: 'string' },
        journey: { type: 'string', multiple: true, default: [] },
        tag: { type: 'string', multiple: true, default: [] },
        grep: { type: 'string' },
        reporter: { type: 'string' },
        output: { type: 'string' },
        retries: { type: 'string' },
        concurrency: { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
      },
      strict: true,
    });

    const problems: string[] = [];
    let config: OnrampConfig | undefined;
    const configFile = findConfigFile(values.config);
    if (configFile) {
      try {
        config = await loadConfig(configFile);
      } catch (err) {
        if (err instanceof ConfigError) throw usage(err.message);
        throw err;
      }
    }
    const targetName = values.target ?? config?.defaults.target ?? 'sandbox';
    if (targetName !== 'sandbox' && !config?.targets.has(targetName)) {
      problems.push(`--target: no target named "${targetName}" (known: ${['sandbox', ...(config?.targets.keys() ?? [])].join(', ')}${config ? '' : '; no config file found'})`);
    }
    if (values.fault.length && targetName !== 'sandbox') problems.push(`--fault: faults exist only in the embedded sandbox, not in target "${targetName}"`);
    const retries = values.retries === undefined ? (config?.defaults.retries ?? 0) : Number(values.retries);
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) problems.push(`--retries: expected a whole number from 0 to 10, got "${values.retries}"`);
    const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
    if (values.concurrency !== undefined && (!/^\d+$/.test(values.concurrency) || concurrency < 1 || concurrency > 32)) problems.push(`--concurrency: expected a whole number from 1 to 32, got "${values.concurrency}"`);
    let grep: RegExp | undefined;
    try {
      grep = values.grep ? new RegExp(values.grep) : undefined;
    } catch (err) {
      problems.push(`--grep: ${(err as Error).message}`);
    }
    const reporterNames = (values.reporter?.split(',') ?? config?.defaults.reporters ?? ['console']).map((s) => s.trim()).filter(Boolean);
    const outputDir = resolve(values.output ?? config?.defaults.output ?? 'onramp-results');
    const { reporters, unknown } = createReporters(reporterNames, outputDir);
    if (unknown.length) problems.push(`--reporter: unknown reporter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: console, json, junit)`);

    // The sandbox boots (about 2 s) while journeys and contracts load; on a usage error it is closed again.
    const booting = targetName === 'sandbox' && !problems.length ? bootSandbox(values.fault, outputDir) : undefined;
    booting?.catch(() => undefined);
    const [journeysLoaded, contractsLoaded] = await Promise.allSettled([loadJourneys(config?.journeys.dir), loadContracts(config?.contracts)]);
    let selected: Awaited<ReturnType<typeof loadJourneys>> = [];
    if (journeysLoaded.status === 'rejected') {
      if (!(journeysLoaded.reason instanceof JourneyLoadError)) throw journeysLoaded.reason;
      problems.push(journeysLoaded.reason.message);
    } else {
      const journeys = journeysLoaded.value;
      const picked = selectJourneys(journeys, { ids: values.journey, tags: values.tag.length ? values.tag : config?.journeys.tags, grep });
      selected = picked.selected;
      if (picked.unknownIds.length) problems.push(`--journey: no journey with id ${picked.unknownIds.map((i) => `"${i}"`).join(', ')} (known: ${journeys.map((j) => j.id).join(', ')})`);
      else if (!selected.length) problems.push('no journey matches the selection (--journey, --tag, --grep)');
    }
    if (contractsLoaded.status === 'rejected') {
      if (!(contractsLoaded.reason instanceof ContractLoadError)) throw contractsLoaded.reason;
      problems.push(contractsLoaded.reason.message);
    }
    let sandbox: RunningSandbox | undefined;
    let startError: Error | undefined;
    try {
      sandbox = await booting;
    } catch (err) {
      if (err instanceof UnknownFaultError) problems.push(`--fault: ${err.message}`);
      else startError = err as Error;
    }
    if (problems.length) {
      await sandbox?.close();
      throw usage(problems.join('\n'));
    }
    const onReporterError = (name: string, hook: string, err: unknown) => console.error(`onramp run: reporter ${name} failed in ${hook}: ${(err as Error).message}`);
    // Options and config are valid from here on: whatever happens, the reports are written.
    if (startError) {
      await reportFailedRun({ journeys: selected, target: targetName, reporter: fanOut(reporters, onReporterError) }, { code: 'target_start_failed', message: `the embedded sandbox did not start: ${startError.message}` });
      return 1;
    }
    const contracts = contractsLoaded.status === 'fulfilled' ? contractsLoaded.value : undefined;
    const target: Target = sandbox ? sandboxTarget(sandbox) : config!.targets.get(targetName)!;

    const executors = [createHttpExecutor({ contracts }), createIdpExecutor(), createDbExecutor()];
    const watch = watchRun(target);
    try {
      const run = await runJourneys({ journeys: selected, target, executors, retries, concurrency, signal: watch.signal, reporter: fanOut([...reporters, watch.reporter], onReporterError) });
      return watch.exitCode() ?? (run.status === 'passed' ? 0 : 1);
    } finally {
      watch.stop();
      for (const e of executors) await e.close?.();
      await sandbox?.close();
    }
  },
};

/** Journeys at once by default: enough to overlap their waits on two cores, few enough to stay gentle on a target. */
const DEFAULT_CONCURRENCY = 4;

async function bootSandbox(faults: string[], outputDir: string): Promise<RunningSandbox> {
  await mkdir(outputDir, { recursive: true });
  return startSandbox({
    faults,
    // The sandbox's own request log goes to a file: the console is for the run's progress.
    log: pino({ base: undefined }, pino.destination({ dest: join(outputDir, 'sandbox.log'), sync: false })),
    // A run's sandbox lives seconds, not hours: reconcile often so drift journeys see the worker.
    workerIntervalMs: 500,
  });
}
