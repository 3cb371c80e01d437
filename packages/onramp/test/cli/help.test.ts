// `onramp --version`, and each command's --help: every option of its usage line, with its default,
// and examples.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/cli.ts';
import { commandHelp } from '../../src/commands/help.ts';
import { runCli } from '../support/spawn-cli.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const COMMANDS = await allCommands();
const described = COMMANDS.filter((c) => c.help);

describe('onramp --version and --help', () => {
  it.each([['--version'], ['-V']])('onramp %s prints the package version', async (flag) => {
    const r = await runCli([flag], {}, { timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  }, 30_000);

  it('every command describes its options', () => {
    expect(COMMANDS.filter((c) => !c.help).map((c) => c.name)).toEqual([]);
  });

  it.each(described.map((c) => [c.name, c] as const))('%s: --help lists every option of its usage with a default, and examples', (_name, command) => {
    const text = commandHelp(command);
    const flags = command.help!.options.map((o) => o.flag.split(' ')[0]);
    for (const flag of command.usage.match(/--[a-z-]+/g) ?? []) expect(flags).toContain(flag);
    for (const o of command.help!.options) {
      expect(o.default, o.flag).toBeDefined();
      expect(text).toContain(`${o.flag} `);
      expect(text).toContain(`default: ${o.default}`);
    }
    expect(command.help!.examples.length).toBeGreaterThan(0);
    for (const e of command.help!.examples) expect(e.command.startsWith(`onramp ${command.name}`)).toBe(true);
    expect(text).toMatch(/^Usage: onramp /);
    expect(text).toContain('Examples:');
  });

  it('prints it for `onramp sweep --help`, exit 0', async () => {
    const r = await runCli(['sweep', '--help'], {}, { timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--ttl DURATION');
    expect(r.stdout).toContain('default: 6h');
    expect(r.stdout).toContain('Examples:');
  }, 30_000);
});
