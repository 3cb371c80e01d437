// `onramp monitor`: the journeys on schedules against a target (the embedded sandbox by default),
// with Prometheus metrics, a status page and run history, until SIGTERM/SIGINT; then in-flight runs
// finish (their cleanup runs), everything is closed and the exit code is the signal's (143/130), as
// `onramp run`'s. Usage errors exit 2.
import { resolve } from 'node:path';
import type { Command } from './command.ts';
import { loadConfigCollecting, usageProblems } from './common.ts';
import { parseOptions } from './parse-options.ts';
import { prepareOutputDir } from './output-dir.ts';
import { SIGNAL_EXIT, waitForShutdown } from './shutdown.ts';
import { scheduleProblem } from '../config/monitor.ts';
import { selectJourneys } from '../engine/load-journeys.ts';
import { cleanupBudgetMs } from '../engine/runner.ts';
import { SandboxMissingError, type SandboxHandle } from '../app/sandbox.ts';
import { bootSandbox, createExecutors, loadJourneysAndContracts, resolveTarget, runMeta, selectTarget, targetProblems, unknownJourneys } from '../app/wiring.ts';
import { MemoryHistory, type HistoryStore } from '../monitor/history.ts';
import { PgHistory, PgHistoryError } from '../monitor/pg-history.ts';
import { leasedClaims } from '../monitor/run-lease.ts';
import { parseSchedule } from '../monitor/schedule.ts';
import { startMonitor, type MonitorSettings } from '../monitor/monitor.ts';
import { ARTIFACT_DEFAULTS, ArtifactDirError, incomingDir } from '../monitor/artifact-store.ts';
import type { ClaimTick } from '../monitor/scheduler.ts';

const USAGE = '[--config FILE] [--target sandbox|NAME] [--port N] [--host H] [--journey ID]... [--tag T]... [--interval 30s] [--location NAME] [--fault NAME]... [--json]';

const OPTIONS = {
  config: { type: 'string' },
  target: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  journey: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  interval: { type: 'string' },
  location: { type: 'string' },
  fault: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'Run journeys on schedules and serve Prometheus metrics, a status page and run history',
  usage: USAGE,
  help: {
    options: [
      { flag: '--config FILE', description: 'the config file (targets, journeys, the monitor section: schedules, limits, history database)', default: 'onramp.config.yaml/.yml/.ts in the working directory, if any' },
      { flag: '--target sandbox|NAME', description: 'what the canaries run against', default: "the config's defaults.target, else the embedded sandbox" },
      { flag: '--port N', description: 'port of /metrics, /healthz, /readyz, /api/runs and the status page (0 picks a free one)', default: '9464' },
      { flag: '--host H', description: 'address to listen on', default: '127.0.0.1' },
      { flag: '--journey ID', description: 'monitor this journey', default: 'every journey', repeatable: true },
      { flag: '--tag T', description: 'monitor the journeys with this tag', default: "the config's journeys.tags, else all", repeatable: true },
      { flag: '--interval 30s', description: 'the schedule of journeys the config gives none (an interval or a cron expression)', default: "the config's monitor.schedule, else 30s" },
      { flag: '--location NAME', description: 'the location label of every metric, for one schedule per location', default: "the config's monitor.location, else none" },
      { flag: '--fault NAME', description: 'switch an embedded-sandbox fault on from the start (switch more at runtime through its control endpoint)', default: 'none', repeatable: true },
      { flag: '--json', description: 'print one JSON ready line with the URL (and the sandbox fields), nothing else', default: 'off' },
    ],
    examples: [
      { command: 'onramp monitor', description: 'a local canary against the embedded sandbox: open the printed URL for the status page' },
      { command: 'onramp monitor --target production --port 9464 --host 0.0.0.0 --location eu-west', description: 'production canaries, scraped by Prometheus' },
    ],
    notes: ['SIGTERM/SIGINT stop scheduling; runs in flight finish within the grace period, then are interrupted and their cleanup steps run within their own timeouts; exit 143 (SIGTERM) or 130 (SIGINT).'],
  },
  async run(args) {
    const { values, problems } = parseOptions(args, OPTIONS);
    const { config, configFile } = await loadConfigCollecting(values.config, problems, { select: { target: values.target } });
    const m = config?.monitor;
    const targetName = selectTarget(values.target, config, problems);
    const faults = values.fault ?? [];
    problems.push(...await targetProblems(targetName, faults, config, configFile));
    const port = values.port === undefined ? 9464 : Number(values.port);
    if (!/^\d+$/.test(values.port ?? '0') || port > 65535) problems.push(`--port: expected a port number from 0 to 65535 (0 picks a free one), got "${values.port}"`);
    const host = values.host ?? '127.0.0.1';
    if (values.host !== undefined && !/^[A-Za-z0-9.:-]+$/.test(values.host)) problems.push(`--host: expected a host name or address, got "${values.host}"`);
    const defaultSchedule = values.interval ?? m?.schedule ?? '30s';
    const location = values.location ?? m?.location;
    if (values.location !== undefined && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(values.location)) problems.push(`--location: expected lower-case letters, digits, - and _ (up to 63), got "${values.location}"`);
    const intervalProblem = values.interval !== undefined ? scheduleProblem(values.interval) : undefined;
    if (intervalProblem) problems.push(`--interval: ${intervalProblem}`);
    // Failed browser steps leave their screenshot and trace in the artifacts folder; the monitor keeps
    // them per run. A folder the config names (monitor.artifacts.dir, or defaults.output) is made and
    // checked before anything listens; without one nothing is made here (a read-only root file system,
    // as in the kustomize base, has no onramp-results/ to give).
    const a = m?.artifacts;
    const artifacts = {
      dir: a?.dir ?? resolve(config?.defaults.output ?? 'onramp-results', 'monitor', 'artifacts'),
      keepFailedRuns: a?.keepFailedRuns ?? ARTIFACT_DEFAULTS.keepFailedRuns,
      maxBytes: a?.maxBytes ?? ARTIFACT_DEFAULTS.maxBytes,
      serve: a?.serve ?? true,
    };
    const artifactsFrom = a?.dir ? 'monitor.artifacts.dir' : config?.defaults.output ? 'defaults.output' : undefined;
    const artifactsProblem = artifactsFrom ? await prepareOutputDir(artifacts.dir) : undefined;
    if (artifactsProblem) problems.push(`${artifactsFrom} (${config!.file}): ${artifactsProblem}`);

    const booting = targetName === 'sandbox' && !problems.length ? startEmbedded(faults) : undefined;
    booting?.catch(() => undefined);
    const loaded = await loadJourneysAndContracts(config, problems);
    const all = loaded.journeys;
    const picked = selectJourneys(all, { ids: values.journey ?? [], tags: values.tag?.length ? values.tag : config?.journeys.tags });
    const selected = picked.selected.filter((j) => m?.journeys[j.id]?.enabled !== false);
    if (all.length && picked.unknownIds.length) problems.push(unknownJourneys('--journey', picked.unknownIds, all));
    else if (all.length && !selected.length) problems.push('no journey matches the selection (--journey, --tag, monitor.journeys.*.enabled)');
    const unknownScheduled = Object.keys(m?.journeys ?? {}).filter((id) => !all.some((j) => j.id === id));
    if (all.length && unknownScheduled.length) problems.push(unknownJourneys('monitor.journeys', unknownScheduled, all));
    let store: HistoryStore = new MemoryHistory(m?.historySize ?? 500);
    let claim: ClaimTick | undefined;
    if (m?.databaseUrl && !problems.length) {
      try {
        const pg = await PgHistory.open(m.databaseUrl.reveal(), location ?? '');
        store = pg;
        // Each tick once across replicas, and a journey never overlapping itself in any of them.
        claim = leasedClaims(pg, { log: (line) => console.error(line) });
      } catch (err) {
        if (!(err instanceof PgHistoryError)) throw err;
        problems.push(err.message);
      }
    }
    const booted = await booting?.then((sandbox) => ({ sandbox }), (error: Error) => ({ error }));
    const sandbox = booted && 'sandbox' in booted ? booted.sandbox : undefined;
    if (booted && 'error' in booted) problems.push(booted.error instanceof SandboxMissingError ? booted.error.message : `the embedded sandbox did not start: ${booted.error.message}`);
    if (problems.length) {
      await sandbox?.close();
      await store.close();
      throw usageProblems(problems, `onramp monitor ${USAGE}`);
    }

    const target = resolveTarget(sandbox, config, targetName);
    const executors = createExecutors(loaded.contracts, { ...config?.browser, outputDir: incomingDir(artifacts.dir) });
    const settings: MonitorSettings = {
      concurrency: m?.concurrency ?? 4,
      browserConcurrency: m?.browserConcurrency ?? 1,
      runTimeoutMs: m?.runTimeoutMs ?? 120_000,
      graceMs: m?.graceMs ?? 30_000,
      location,
      retentionMs: m?.retentionMs ?? 7 * 86_400_000,
      historyBufferSize: m?.historyBuffer ?? 1_000,
      sweeper: m?.sweeper?.enabled === false ? undefined : { schedule: parseSchedule(m?.sweeper?.schedule ?? '15m'), ttlMs: m?.sweeper?.ttlMs ?? 6 * 3_600_000 },
      artifacts,
    };
    let monitor;
    try {
      monitor = await startMonitor({
        journeys: selected.map((journey) => ({
          journey,
          // --interval is the default for journeys without their own schedule in the config.
          schedule: parseSchedule(m?.journeys[journey.id]?.schedule ?? defaultSchedule),
          jitterMs: m?.journeys[journey.id]?.jitterMs ?? m?.jitterMs ?? 0,
        })),
        target,
        executors,
        settings,
        store,
        claim,
        host,
        port,
        logs: { service: target.logs?.service ?? 'gpuaas-api', grafanaUrl: target.logs?.grafanaUrl, grafanaDatasource: target.logs?.grafanaDatasource },
        // Faults are switched at runtime on a monitor's sandbox: a run's list would be stale.
        meta: runMeta(target, []),
        sweepHint: sandbox ? 'the embedded sandbox ends with this monitor, and they with it' : `remove them with: onramp sweep --target ${targetName} --ttl 0s${settings.sweeper ? ' (the sweeper removes them once older than monitor.sweeper.ttl)' : ''}`,
      });
    } catch (err) {
      await closeAll(executors, store, sandbox);
      if (err instanceof ArtifactDirError) throw usageProblems([err.message], `onramp monitor ${USAGE}`);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw usageProblems([`--port/--host: cannot listen on ${host}:${port} (${code})`], `onramp monitor ${USAGE}`);
      throw err;
    }
    if (values.json) console.log(JSON.stringify({ event: 'ready', url: monitor.url, ...(sandbox ? sandbox.ready() : {}) }));
    else {
      console.log(`onramp monitor ready: ${monitor.url} (status page), ${monitor.url}/metrics`);
      console.log(`  target: ${targetName}; ${selected.length} journeys; history: ${store.kind}${settings.location ? `; location ${settings.location}` : ''}`);
      if (sandbox) console.log(`  sandbox faults: POST ${sandbox.ready().platform}/__sandbox/faults with Authorization: Bearer ${sandbox.ready().controlToken}`);
      console.log('Press Ctrl+C to stop.');
    }
    const signal = await waitForShutdown();
    const busy = monitor.scheduler.busy;
    // As `onramp run`: runs still going when the grace is over are interrupted, and their cleanup
    // steps then get the budget of their own timeouts.
    const cleanupMs = cleanupBudgetMs(selected.filter((j) => busy.includes(j.id)));
    console.error(`onramp monitor: ${signal} received: no new runs${busy.length ? `; waiting up to ${settings.graceMs / 1000} s for ${busy.join(', ')}, then up to ${Math.ceil(cleanupMs / 1000)} s for their cleanup (the cleanup steps' own timeouts)` : ''}`);
    await monitor.stop();
    await closeAll(executors, store, sandbox);
    console.error('onramp monitor: stopped');
    return SIGNAL_EXIT[signal];
  },
};

async function closeAll(executors: { close?(): Promise<void> }[], store: HistoryStore, sandbox: SandboxHandle | undefined): Promise<void> {
  for (const e of executors) await e.close?.().catch(() => undefined);
  await store.close().catch(() => undefined);
  await sandbox?.close();
}

async function startEmbedded(faults: string[]): Promise<SandboxHandle> {
  const { default: pino } = await import('pino');
  return bootSandbox({
    faults,
    // The monitor's stderr is for its own problems; the sandbox's request log only for its warnings.
    log: pino({ base: undefined, level: 'warn' }, pino.destination(2)),
    workerIntervalMs: 500,
  });
}
