// `onramp triage <correlation_id>`: the runbook's incident evidence for an id from a real incident
// (a user's screenshot, a support ticket), against a configured target: classification, envelope,
// logs, the user's scope records, audit, Keycloak, in <output>/evidence/<id>/. `--snapshot` keeps
// the membership state before mitigation; `--compare BUNDLE` shows what changed since and the
// privileged mutations in between; `--retest JOURNEY` re-runs the journey of that path. Exit 0: the
// symptom no longer reproduces; 1: it still does (or nothing shows it is gone); 2: usage error.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from './command.ts';
import { loadConfigCollecting, usageProblems } from './common.ts';
import { parseOptions } from './parse-options.ts';
import { outputDirOption } from './output-dir.ts';
import { boundedDuration, DURATION_BOUNDS } from '../config/durations.ts';
import type { JourneyDefinition } from '../engine/journey.ts';
import type { Evidence } from '../triage/evidence.ts';

const USAGE = '<correlation_id> [--target NAME] [--config FILE] [--user EMAIL|ID] [--code CODE] [--output DIR] [--since 24h] [--snapshot] [--compare BUNDLE] [--retest JOURNEY]';

const OPTIONS = {
  target: { type: 'string' },
  config: { type: 'string' },
  user: { type: 'string' },
  code: { type: 'string' },
  output: { type: 'string' },
  since: { type: 'string' },
  snapshot: { type: 'boolean' },
  compare: { type: 'string' },
  retest: { type: 'string' },
} as const;

/** The positional arguments, and the rest for option parsing. */
export const triageCommand: Command = {
  name: 'triage',
  summary: "Gather the runbook's incident evidence for a correlation id into evidence/<id>/",
  usage: USAGE,
  help: {
    options: [
      { flag: '--target NAME', description: 'the config target the incident happened on', default: "the config's defaults.target" },
      { flag: '--config FILE', description: 'the config file naming the target', default: 'onramp.config.yaml/.yml/.ts in the working directory' },
      { flag: '--user EMAIL|ID', description: 'the affected user, when the logs do not name one', default: 'from the log lines of the id' },
      { flag: '--code CODE', description: 'the error code the user saw, to classify the incident', default: 'from the evidence' },
      { flag: '--output DIR', description: 'where evidence/<correlation_id>/ is written', default: "the config's defaults.output, else onramp-results" },
      { flag: '--since 24h', description: 'how far back to look for log lines', default: '24h' },
      { flag: '--snapshot', description: 'also keep the membership state before mitigation (snapshot.json)', default: 'off' },
      { flag: '--compare BUNDLE', description: 'show what changed since that bundle or snapshot, and the privileged mutations between', default: 'none' },
      { flag: '--retest JOURNEY', description: "re-run this journey for the user's path to confirm the resolution", default: 'none' },
    ],
    examples: [
      { command: 'onramp triage 3f1c2a9e-7b6d-4d1e-9a0b-2c4e6f8a1b3d --target staging --snapshot', description: 'gather the evidence of an incident, keeping the state before mitigation' },
      { command: 'onramp triage 3f1c2a9e-7b6d-4d1e-9a0b-2c4e6f8a1b3d --target staging --compare onramp-results/evidence/3f1c2a9e-7b6d-4d1e-9a0b-2c4e6f8a1b3d --retest personal-signup', description: 'after mitigation: what changed, and whether the journey passes again' },
    ],
    notes: ['Exit codes: 0 the symptom no longer reproduces; 1 it still does (or nothing shows it is gone); 2 usage or config error.'],
  },
  async run(args) {
    const { values, positionals, problems } = parseOptions(args, OPTIONS, { positionals: true });
    if (positionals.length !== 1) problems.push(positionals.length ? `expected one correlation id, got ${positionals.length}: ${positionals.join(' ')}` : 'missing the correlation id (from the error envelope, the X-Correlation-ID header or a report)');
    const correlationId = positionals[0];
    // Checked before anything is looked up; its bundle folder is named after it, so it starts with a
    // letter or digit (never `.` or `..`) and can never name a folder outside evidence/.
    if (correlationId && !/^[A-Za-z0-9][\w.:-]{0,199}$/.test(correlationId)) problems.push(`correlation id "${correlationId.slice(0, 60)}": expected a letter or digit, then letters, digits, '-', '_', '.', ':' (up to 200)`);
    const { config, configFile } = await loadConfigCollecting(values.config, problems, { select: { target: values.target } });
    const targetName = values.target ?? config?.defaults.target;
    if (!targetName || targetName === 'sandbox') {
      problems.push(`--target: triage needs a configured target${targetName === 'sandbox' ? ': the embedded sandbox lives only as long as one `onramp run`; start `onramp sandbox` and name it in a config target' : ' (none given and no defaults.target)'}`);
    } else if ((config || !configFile) && !config?.targetNames.includes(targetName)) {
      // A config file that did not load has said why already: its targets are unknown, not missing.
      problems.push(`--target: no target named "${targetName}" (known: ${config?.targetNames.join(', ') || 'none'}${configFile ? '' : '; no config file found'})`);
    }
    const sinceMs = boundedDuration('--since', values.since ?? '24h', DURATION_BOUNDS.since, problems);
    if (values.snapshot && values.compare) problems.push('--snapshot and --compare: take the snapshot before mitigation, compare after it (one at a time)');
    const { loadBefore, compareSnapshots } = await import('../triage/compare.ts');
    let before: Evidence | undefined;
    if (values.compare) {
      try {
        before = await loadBefore(resolve(values.compare));
        if (correlationId && before.correlation_id !== correlationId) problems.push(`--compare: ${values.compare} is the bundle of ${before.correlation_id}, not of ${correlationId}`);
      } catch (err) {
        problems.push(`--compare: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `no bundle at ${values.compare}` : (err as Error).message}`);
      }
    }
    let retest: JourneyDefinition | undefined;
    if (values.retest) {
      const { loadJourneys } = await import('../engine/load-journeys.ts');
      const journeys = await loadJourneys(config?.journeys ?? {}).catch((err: Error) => (problems.push(err.message), []));
      retest = journeys.find((j) => j.id === values.retest);
      if (!retest && journeys.length) problems.push(`--retest: no journey with id "${values.retest}" (known: ${journeys.map((j) => j.id).join(', ')})`);
    }
    const outputDir = await outputDirOption(values.output, config, problems);
    if (problems.length) throw usageProblems(problems, `onramp triage ${USAGE}`);

    const target = config!.targets.get(targetName!)!;
    const [{ TriageSources, logSourceFor }, { collectEvidence, writeBundle }, { bundleDirName }, { auditSince }] = await Promise.all([
      import('../triage/sources.ts'), import('../triage/bundle.ts'), import('../triage/bundle-path.ts'), import('../triage/collectors/audit.ts'),
    ]);
    const sources = new TriageSources(target, logSourceFor(target));
    try {
      const now = Date.now();
      const evidence = await collectEvidence(sources, { source: 'triage', correlationId: correlationId!, reportedCode: values.code, user: values.user ?? before?.user.id ?? undefined, window: { startMs: now - sinceMs!, endMs: now } });
      if (before?.db.available && evidence.db.available && evidence.user.id) {
        evidence.compare = compareSnapshots(resolve(values.compare!), before.db, evidence.db, await auditSince(sources, evidence.user.id, before.db.taken_at));
      }
      if (retest) {
        const [{ runOnce }, { retestEvidence }] = await Promise.all([import('../app/wiring.ts'), import('../triage/retest.ts')]);
        evidence.retest = retestEvidence(retest, await runOnce(retest, target, config, outputDir));
      }
      // A journey the target refuses (production) tells nothing; a flaky pass still reproduces now and then.
      if (evidence.retest && evidence.retest.status !== 'skipped') evidence.reproduces = evidence.retest.status !== 'passed';
      const dir = join(outputDir, bundleDirName(correlationId!, 'triage'));
      await writeBundle(dir, evidence);
      if (values.snapshot) await writeFile(join(dir, 'snapshot.json'), `${JSON.stringify(evidence, null, 2)}\n`);
      printSummary(evidence, dir, !!values.snapshot);
      return evidence.reproduces === false ? 0 : 1;
    } finally {
      await sources.close();
    }
  },
};

function printSummary(e: Evidence, dir: string, snapshot: boolean): void {
  const c = e.classification;
  console.log(`onramp triage ${e.correlation_id}: ${c.known ? c.symptom : `unclassified (${c.code})`}`);
  console.log(`  code:      ${c.code}${c.known && c.reported_as ? ` (the platform's ${c.reported_as})` : ''}`);
  console.log(`  cause:     ${c.cause}`);
  console.log(`  action:    ${c.action}`);
  console.log(`  owner:     ${c.owner}`);
  console.log(`  user:      ${e.user.id ?? 'unresolved'} (${e.user.resolved_from})`);
  for (const [name, s] of [['logs', e.logs.lines], ['db', e.db], ['audit', e.audit], ['keycloak', e.keycloak]] as const) if (!s.available) console.log(`  ${name}: unavailable: ${s.reason}`);
  if (e.compare) {
    console.log(`  changes since ${e.compare.before_taken_at}: ${e.compare.changes.map((x) => `${x.table} ${x.what}`).join('; ') || 'none'}`);
    console.log(`  privileged mutations: ${e.compare.privileged_mutations.map((m) => `${m.action} by ${m.actor_id} (${m.correlation_id})`).join('; ') || 'none'}`);
  }
  if (e.retest) console.log(`  retest ${e.retest.journey}: ${e.retest.status}; correlation ids ${e.retest.correlation_ids.join(', ')}`);
  console.log(`  reproduces: ${e.reproduces === null ? 'cannot tell from the state (use --retest JOURNEY)' : e.reproduces ? 'yes' : 'no'}`);
  console.log(`Evidence: ${join(dir, 'evidence.md')}${snapshot ? `, snapshot before mitigation: ${join(dir, 'snapshot.json')}` : ''}`);
}
