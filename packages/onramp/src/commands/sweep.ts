// `onramp sweep`: removes synthetic identities older than a TTL from a target's platform and Keycloak.
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { DEFAULT_CONFIG_FILES, loadConfigCollecting, usageError as usage } from './common.ts';
import { sweep } from '../engine/sweep.ts';
import { boundedDuration, DURATION_BOUNDS } from '../config/durations.ts';


export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'Remove leftover synthetic identities (onramp-syn-*) older than a TTL from a target',
  usage: '[--target NAME] [--config FILE] [--ttl 6h] [--dry-run] [--json]',
  help: {
    options: [
      { flag: '--target NAME', description: 'the configured target to sweep', default: 'defaults.target of the config' },
      { flag: '--config FILE', description: 'the config naming the target', default: DEFAULT_CONFIG_FILES.join(', ') },
      { flag: '--ttl DURATION', description: 'remove only identities older than this: 90s, 30m, 6h, 7d', default: '6h' },
      { flag: '--dry-run', description: 'list what would be removed, remove nothing (the same list a real sweep then removes)', default: 'off' },
      { flag: '--json', description: 'print the report as one JSON object', default: 'off' },
    ],
    examples: [
      { command: 'onramp sweep --target staging --dry-run', description: 'preview the leftovers older than 6 h on staging' },
      { command: 'onramp sweep --config ci.yaml --target staging --ttl 1h --json', description: 'remove leftovers older than an hour; a JSON report for the pipeline' },
    ],
    notes: ['Exit 0 when everything listed was removed, 1 when something could not be removed or the target could not be reached (the URL is named), 2 for a usage or config error.'],
  },
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        target: { type: 'string' },
        config: { type: 'string' },
        ttl: { type: 'string', default: '6h' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const problems: string[] = [];
    const ttl = boundedDuration('--ttl', values.ttl, DURATION_BOUNDS.ttl, problems);
    const { config, configFile: file } = await loadConfigCollecting(values.config, problems, { select: { target: values.target } });
    if (!file) problems.push('--config: sweep needs a config file naming the target (none given, none found)');
    if (problems.length || !config) throw usage(problems.join('\n'));
    const name = values.target ?? config.defaults.target;
    const target = name ? config.targets.get(name) : undefined;
    const known = config.targetNames.join(', ') || `none: ${file} names no target`;
    if (!name) throw usage(`--target: name the target to sweep (known: ${known}), or set defaults.target in ${file}`);
    if (!target) throw usage(`--target: no target named "${name}" (known: ${known})`);

    const report = await sweep(target, { olderThanMs: ttl!, dryRun: values['dry-run'] });
    if (values.json) console.log(JSON.stringify(report));
    else {
      const verb = report.dryRun ? 'would remove' : 'removed';
      console.log(`onramp sweep on ${target.name} (older than ${values.ttl}): ${verb} ${report.keycloakUsers.length} Keycloak user(s), ${report.platformUsers.length} platform user(s), ${report.tenants.length} tenant(s)`);
      for (const [kind, names] of [['Keycloak user', report.keycloakUsers], ['platform user', report.platformUsers], ['tenant', report.tenants]] as const) {
        for (const n of names) console.log(`  ${kind} ${n}`);
      }
      for (const e of report.errors) console.log(`  could not remove ${e}`);
    }
    return report.errors.length ? 1 : 0;
  },
};
