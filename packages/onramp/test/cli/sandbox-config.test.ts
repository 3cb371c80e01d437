// `onramp run` against an `onramp sandbox` already running in another process, through the config
// that `onramp sandbox` writes for it.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { runCli, startCli } from '../support/spawn-cli.ts';
import { useTestPostgres } from '../../../../test/support/postgres.ts';

const pg = useTestPostgres();

describe('onramp sandbox --write-config', () => {
  it('writes a config with secrets in files that `onramp run --target local` runs a journey against', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onramp-sandbox-config-'));
    const config = join(dir, 'sandbox.yaml');
    const cli = startCli(['sandbox', '--json', '--write-config', config]);
    try {
      const ready = (await cli.firstLine) as Record<string, any>;
      expect(ready.config).toBe(config);
      const text = readFileSync(config, 'utf8');
      for (const secret of [ready.controlToken, ready.adminClient.clientSecret, ready.systemAdmin.password]) expect(text).not.toContain(secret);
      expect(statSync(join(dir, 'sandbox.yaml.secrets', 'control-token')).mode & 0o777).toBe(0o600);

      const target = (await loadConfig(config)).targets.get('local')!;
      expect(target).toMatchObject({ apiUrl: ready.platform, idpUrl: ready.idp, consoleUrl: ready.console, realm: 'sandbox' });
      expect(target.sandbox!.controlToken.reveal()).toBe(ready.controlToken);
      // Every collector has its source: the sandbox's Loki API for the logs, and (no database_url
      // with the embedded database) its read-only database route behind the control token.
      expect(target.logs).toMatchObject({ lokiUrl: ready.loki });
      expect(ready.loki).toBe(ready.platform);
      expect(target.databaseUrl).toBeUndefined();

      const out = join(dir, 'results');
      const run = await runCli(['run', '--config', config, '--target', 'local', '--journey', 'personal-signup', '--reporter', 'json', '--output', out], {}, { timeoutMs: 90_000 });
      expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      expect(JSON.stringify(results)).toContain('personal-signup');
      // The db step ran (through the route), it was not skipped for want of a database.
      const steps = results.journeys[0].steps as { name: string; status: string }[];
      expect(steps.find((s) => s.name === 'bootstrap rows exist')).toMatchObject({ status: 'passed' });
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exit;
    }
  }, 120_000);

  it('with --database URL, writes database_url too: db steps read that Postgres directly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onramp-sandbox-config-'));
    const config = join(dir, 'sandbox.yaml');
    const url = await pg.createDatabase();
    const cli = startCli(['sandbox', '--json', '--database', url, '--write-config', config]);
    try {
      await cli.firstLine;
      expect(readFileSync(config, 'utf8')).not.toContain(url);
      const target = (await loadConfig(config)).targets.get('local')!;
      expect(target.databaseUrl!.reveal()).toBe(url);
      expect(target.logs?.lokiUrl).toBeDefined();
      const out = join(dir, 'results');
      const run = await runCli(['run', '--config', config, '--target', 'local', '--journey', 'personal-signup', '--reporter', 'json', '--output', out], {}, { timeoutMs: 90_000 });
      expect(run, run.stderr).toMatchObject({ code: 0, timedOut: false });
      const steps = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).journeys[0].steps as { name: string; status: string }[];
      expect(steps.find((s) => s.name === 'bootstrap rows exist')).toMatchObject({ status: 'passed' });
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exit;
    }
  }, 120_000);

  it('shows the `onramp run` command in its human output; that temporary config goes on exit', async () => {
    const cli = startCli(['sandbox']);
    const lines = createInterface({ input: cli.child.stdout! });
    let command = '';
    for await (const line of lines) {
      if (line.trim().startsWith('onramp run --config')) {
        command = line.trim();
        break;
      }
    }
    const file = /--config (\S+) --target local$/.exec(command)?.[1];
    expect(file, command).toBeDefined();
    expect(existsSync(file!)).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(existsSync(file!)).toBe(false);
  }, 60_000);
});
