// `onramp run`: journeys against a target (the embedded sandbox by default), reports, exit code
// 0 when every journey passed, 1 when any failed or was flaky (or the run failed as a whole),
// 2 for usage or config errors (all named at once), 130/143 when SIGINT/SIGTERM cut it short.
import { join, resolve } from 'node:path';
import type { Command } from './command.ts';
import { loadConfigCollecting, usageProblems } from './common.ts';
import { parseOptions, wholeNumber } from './parse-options.ts';
import { outputDirOption } from './output-dir.ts';
import { watchRun } from './run-watch.ts';
import { describeLeftovers, leftoversHeading } from '../engine/leftovers.ts';
import { faultsForRun } from './remote-faults.ts';
import { bootRunSandbox, createExecutors, createReporters, evidenceSink, REPORTERS, loadJourneysAndContracts, resolveTarget, runMeta, selectTarget, targetProblems, unknownJourneys } from '../app/wiring.ts';
import { SandboxMissingError } from '../app/sandbox.ts';
import { selectJourneys } from '../engine/load-journeys.ts';
import { CleanupTracker, cleanupBudgetMs, reportFailedRun, runJourneys } from '../engine/runner.ts';
import type { Target } from '../engine/target.ts';
import { REQUIRABLE_KINDS, type RequirableKind, type RunError, type RunMeta, type RunResult } from '../engine/results.ts';
import { fanOut } from '../engine/reporter.ts';
import { journeyCounts, summarise, unavailableChecks } from '../reporters/json.ts';
import { ONRAMP_VERSION } from '../version.ts';

const USAGE = '[--target sandbox|NAME] [--config FILE] [--journey ID]... [--tag T]... [--grep RE] [--reporter console,json,junit,html] [--output DIR] [--no-evidence] [--retries N] [--concurrency N] [--keep] [--fault NAME]... [--trace] [--browser PATH] [--require db,browser]';

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
  'no-evidence': { type: 'boolean' },
  fault: { type: 'string', multiple: true },
  trace: { type: 'boolean' },
  browser: { type: 'string' },
  require: { type: 'string' },
} as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run journeys against a target (default: the embedded sandbox) and write reports',
  usage: USAGE,
  help: {
    options: [
      { flag: '--target sandbox|NAME', description: 'where the journeys run: the embedded sandbox, or a target of the config', default: 'the config\'s defaults.target, else sandbox' },
      { flag: '--config FILE', description: 'the config file (targets, journeys, contracts, defaults)', default: 'onramp.config.yaml/.yml/.ts in the working directory, if any' },
      { flag: '--journey ID', description: 'run this journey', default: 'every journey', repeatable: true },
      { flag: '--tag T', description: 'run the journeys with this tag', default: 'the config\'s journeys.tags, else all', repeatable: true },
      { flag: '--grep RE', description: 'run the journeys whose id or title matches', default: 'none' },
      { flag: '--reporter LIST', description: `comma-separated reporters: ${'console, json, junit, html'}`, default: 'the config\'s defaults.reporters, else console' },
      { flag: '--output DIR', description: 'report folder (created and checked before anything runs)', default: 'onramp-results' },
      { flag: '--no-evidence', description: 'write no incident evidence bundle for failed steps', default: 'bundles are written' },
      { flag: '--retries N', description: 'retries of a failed journey (0-10); a pass on retry is flaky', default: 'the config\'s defaults.retries, else 0' },
      { flag: '--concurrency N', description: `journeys at once (1-32)`, default: String(DEFAULT_CONCURRENCY) },
      { flag: '--keep', description: "leave a failed journey's synthetic identities in place for investigation (onramp sweep removes them)", default: 'off' },
      { flag: '--trace', description: "keep every browser step's Playwright trace, not only failed steps'", default: 'off' },
      { flag: '--browser PATH', description: 'the Chromium browser steps use', default: "the config's browser.executable_path, else ONRAMP_CHROMIUM, Playwright's own, the system's chromium" },
      { flag: '--require LIST', description: `kinds of check that must run (${REQUIRABLE_KINDS.join(', ')}): a step of one that would be skipped (db without a database) fails as check_unavailable`, default: "the target's require, else none (such steps are skipped and counted)" },
      { flag: '--fault NAME', description: 'switch a sandbox fault on for the run (embedded sandbox, or a config target with sandbox.control_token)', default: 'none', repeatable: true },
    ],
    examples: [
      { command: 'onramp run', description: 'every journey against the embedded sandbox' },
      { command: 'onramp run --fault signup_skips_posix_identity --journey personal-signup', description: 'reproduce a runbook symptom and see it named, with its evidence bundle' },
      { command: 'onramp run --target staging --reporter console,junit,html --output reports', description: 'pre-release validation in CI' },
    ],
    notes: ['Exit codes: 0 all passed; 1 a journey failed or was flaky, or the run failed as a whole; 2 usage or config error; 130/143 cancelled by SIGINT/SIGTERM.'],
  },
  async run(args) {
    const { values, problems } = parseOptions(args, OPTIONS);
    const { config, configFile } = await loadConfigCollecting(values.config, problems, { select: { target: values.target } });
    const faults = values.fault ?? [];
    const targetName = selectTarget(values.target, config, problems);
    problems.push(...await targetProblems(targetName, faults, config, configFile, { remoteFaults: true }));
    const remoteSandbox = targetName !== 'sandbox' && !!config?.targets.get(targetName)?.sandbox;
    const retries = wholeNumber('retries', values.retries, config?.defaults.retries ?? 0, 0, 10, problems);
    const concurrency = wholeNumber('concurrency', values.concurrency, DEFAULT_CONCURRENCY, 1, 32, problems);
    let grep: RegExp | undefined;
    try {
      grep = values.grep ? new RegExp(values.grep) : undefined;
    } catch (err) {
      problems.push(`--grep: ${(err as Error).message}`);
    }
    const required = (values.require?.split(',') ?? []).map((s) => s.trim()).filter(Boolean);
    const unknownKinds = required.filter((k) => !(REQUIRABLE_KINDS as readonly string[]).includes(k));
    if (unknownKinds.length || (values.require !== undefined && !required.length)) problems.push(`--require: ${unknownKinds.length ? `unknown kind of check ${unknownKinds.map((k) => `"${k}"`).join(', ')}` : 'names no kind of check'} (known: ${REQUIRABLE_KINDS.join(', ')})`);
    const reporterNames = (values.reporter?.split(',') ?? config?.defaults.reporters ?? ['console']).map((s) => s.trim()).filter(Boolean);
    if (!reporterNames.length) problems.push(`--reporter: names no reporter (known: ${Object.keys(REPORTERS).join(', ')})`);
    const outputDir = await outputDirOption(values.output, config, problems);
    const { reporters, unknown } = createReporters(reporterNames, outputDir, config?.targets.get(targetName)?.logs?.service);
    if (unknown.length) problems.push(`--reporter: unknown reporter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${Object.keys(REPORTERS).join(', ')})`);

    // Signals are watched from here on, so a cancel while the sandbox boots still ends in reports.
    const resolved: { target?: Target; budgetMs?: number } = {};
    const tracker = new CleanupTracker();
    const watch = watchRun(() => resolved.target, { budgetMs: () => resolved.budgetMs, pending: () => tracker.pending(), sweepHint: () => sweepHint(targetName) });
    // The sandbox boots while journeys and contracts load; on a usage error it is closed again.
    const booting = targetName === 'sandbox' && !problems.length ? bootRunSandbox(faults, outputDir) : undefined;
    booting?.catch(() => undefined);
    const loaded = await loadJourneysAndContracts(config, problems);
    const picked = selectJourneys(loaded.journeys, { ids: values.journey ?? [], tags: values.tag?.length ? values.tag : config?.journeys.tags, grep });
    const selected = picked.selected;
    resolved.budgetMs = selected.length ? cleanupBudgetMs(selected) : undefined;
    if (loaded.journeys.length && picked.unknownIds.length) problems.push(unknownJourneys('--journey', picked.unknownIds, loaded.journeys));
    else if (loaded.journeys.length && !selected.length) problems.push('no journey matches the selection (--journey, --tag, --grep)');
    const booted = await booting?.then((sandbox) => ({ sandbox }), (error: Error) => ({ error }));
    const sandbox = booted && 'sandbox' in booted ? booted.sandbox : undefined;
    if (booted && 'error' in booted && booted.error instanceof SandboxMissingError) problems.push(booted.error.message);
    if (problems.length) {
      watch.stop();
      await sandbox?.close();
      throw usageProblems(problems, `onramp run ${USAGE}`);
    }

    // Options and config are valid from here on: whatever happens, the reports are written.
    const onReporterError = (name: string, hook: string, err: unknown) => console.error(`onramp run: reporter ${name} failed in ${hook}: ${(err as Error).message}`);
    const paths = writtenPaths(reporterNames, outputDir, targetName === 'sandbox');
    const failedRun = async (meta: RunMeta, error: RunError) => {
      watch.stop();
      printClosing(await reportFailedRun({ journeys: selected, target: targetName, reporter: fanOut(reporters, onReporterError), meta }, error), reporterNames, paths);
      return watch.exitCode() ?? 1;
    };
    if (booted && 'error' in booted) {
      const meta = { onrampVersion: ONRAMP_VERSION, targetUrls: { api: 'not started', idp: 'not started' }, faults };
      return failedRun(meta, { code: 'target_start_failed', message: `the embedded sandbox did not start: ${booted.error.message}` });
    }
    const target = (resolved.target = resolveTarget(sandbox, config, targetName));
    let active = sandbox?.ready().faults ?? [];
    let restoreFaults = async (): Promise<unknown> => undefined;
    if (remoteSandbox && faults.length) {
      try {
        ({ active, restore: restoreFaults } = await faultsForRun(target, faults));
      } catch (err) {
        return failedRun(runMeta(target, faults), { code: 'fault_switch_failed', message: (err as Error).message });
      }
    }
    const meta = runMeta(target, active);
    const browser = { ...config?.browser, ...(values.browser ? { executablePath: resolve(values.browser) } : {}), ...(values.trace ? { traceAll: true } : {}), outputDir };
    const executors = createExecutors(loaded.contracts, browser);
    // The evidence sink goes first: the other reports link the bundles it wrote.
    const evidence = values['no-evidence'] ? [] : [await evidenceSink(target, outputDir, sandbox ? join(outputDir, 'sandbox.log') : undefined)];
    try {
      const run = await runJourneys({ journeys: selected, target, executors, retries, concurrency, meta, keepFailed: values.keep, require: required as RequirableKind[], signal: watch.signal, tracker, reporter: fanOut([...evidence, ...reporters, watch.reporter], onReporterError) });
      printClosing(run, reporterNames, paths);
      if (run.leftovers?.length) console.error(`${leftoversHeading('onramp run', run.leftovers)}\n${describeLeftovers(run.leftovers).join('\n')}\n${sweepHint(targetName)}`);
      if (values.keep) printKept(run, targetName);
      return watch.exitCode() ?? (run.status === 'passed' ? 0 : 1);
    } finally {
      watch.stop();
      for (const e of executors) await e.close?.();
      await sandbox?.close();
      // A sandbox that outlives the run is left as it was found.
      await restoreFaults().catch((err: Error) => console.error(`onramp run: ${err.message}`));
    }
  },
};


const FILES: Record<string, string> = { json: 'results.json', junit: 'junit.xml', html: 'report.html' };

function writtenPaths(reporterNames: string[], outputDir: string, sandbox: boolean): string[] {
  return [...reporterNames.flatMap((n) => (FILES[n] ? [join(outputDir, FILES[n])] : [])), ...(sandbox ? [join(outputDir, 'sandbox.log')] : [])];
}

/** Where the reports are; a run without the console reporter still says how it went, in one line. */
function printClosing(run: RunResult, reporterNames: string[], paths: string[]): void {
  if (!reporterNames.includes('console')) {
    const unavailable = unavailableChecks(run);
    console.log(`onramp run ${run.runId}: ${run.status}: ${journeyCounts(summarise(run))}${unavailable ? `; ${unavailable}` : ''}${run.error ? ` [${run.error.code}] ${run.error.message}` : ''}`);
  }
  if (paths.length) console.log(`Reports: ${paths.join(', ')}`);
}

function sweepHint(targetName: string): string {
  return targetName === 'sandbox' ? 'the embedded sandbox ends with this run, and they with it' : `remove them with: onramp sweep --target ${targetName} --ttl 0s`;
}

function printKept(run: RunResult, targetName: string): void {
  const kept = run.journeys.filter((j) => j.attempts.some((a) => a.steps.some((s) => s.status === 'skipped' && s.message?.startsWith('kept for investigation'))));
  if (!kept.length) return;
  const how = targetName === 'sandbox' ? 'the embedded sandbox ends with this run, and them with it; to investigate, run against `onramp sandbox` (see README)' : `remove them with: onramp sweep --target ${targetName} --ttl 0s`;
  console.log(`Kept the synthetic identities (onramp-syn-${run.runId}-*) of ${kept.map((j) => j.id).join(', ')}: ${how}`);
}
