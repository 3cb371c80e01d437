// A broken config file, through the real CLI: exit 2, the file and the problem named once, no stack
// trace, no hang. `sweep` reads the config before touching any target.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from '../support/spawn-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'onramp-config-cli-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const TARGET = `  dev: { api_url: http://a, idp_url: http://i, realm: r, login_client: { client_id: c }, admin_client: { client_id: a, client_secret: { env: ADMIN } }, system_admin: { username: u, password: { env: PW } } }\n`;

const cases = [
  { name: 'a YAML alias bomb', file: 'bomb.yaml', text: ['a: &a [l, l, l, l, l, l, l, l, l]', ...[...'bcdefghi'].map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`), 'targets: *i'].join('\n'), mentions: ['too many YAML aliases'] },
  { name: 'a YAML syntax error', file: 'broken.yaml', text: 'targets:\n  dev:\n    api_url: [\n', mentions: ['line 4, column 1', 'near "api_url: ["'] },
  { name: 'a throwing .ts config', file: 'throws.ts', text: "throw new Error('config exploded');\nexport default {};\n", mentions: ['cannot load: config exploded'] },
  { name: 'a .ts config importing nothing there', file: 'import.ts', text: "import x from './gone.ts';\nexport default x;\n", mentions: ["Cannot find module './gone.ts'"] },
  { name: 'a .ts syntax error', file: 'syntax.ts', text: 'export default { targets: ;\n', mentions: [/syntax\.ts:1:\d+: ERROR/] },
  { name: 'an empty environment variable', file: 'empty-env.yaml', text: `targets:\n${TARGET}`, env: { ADMIN: '', PW: 'x' }, mentions: ['environment variable ADMIN is empty'] },
  { name: 'an invalid target name', file: 'name.yaml', text: `targets:\n${TARGET.replace('dev', 'Dev')}`, env: { ADMIN: 'x', PW: 'x' }, mentions: ['target name "Dev" is not allowed'] },
];

describe('onramp sweep --config: broken config files', () => {
  it.each(cases)('$name: exit 2 naming the file and the problem once', async (c) => {
    const path = file(c.file, c.text);
    const r = await runCli(['sweep', '--config', path], c.env ?? {}, { timeoutMs: 20_000 });
    expectUsageError(r, path, ...c.mentions);
    expect(r.stderr.split('\n').filter((l) => l.includes('problem(s)'))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/must match pattern|must NOT be valid|in a cycle/);
  }, 30_000);

  it('loads a .ts config outside a "type": "module" folder', async () => {
    const target = { api_url: 'http://a', idp_url: 'http://i', realm: 'r', login_client: { client_id: 'c' }, admin_client: { client_id: 'a', client_secret: { env: 'ADMIN' } }, system_admin: { username: 'u', password: { env: 'PW' } } };
    const path = file('ok.ts', `const config: { targets: Record<string, unknown> } = { targets: { dev: ${JSON.stringify(target)} } };\nexport default config;\n`);
    const r = await runCli(['sweep', '--config', path, '--target', 'nope'], { ADMIN: 'x', PW: 'x' }, { timeoutMs: 20_000 });
    // Loaded: the complaint is about the target, not the file.
    expectUsageError(r, '--target: no target named "nope" (known: dev)');
  }, 30_000);
});

describe('a --config that does not exist', () => {
  it.each([['run'], ['monitor', '--port', '0'], ['sweep'], ['triage', 'abc123']])('onramp %s: exit 2 naming --config and the absolute path', async (...command) => {
    const r = await runCli([...command, '--config', 'no-such-onramp.yaml'], {}, { timeoutMs: 20_000, cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--config: no such file: ${join(dir, 'no-such-onramp.yaml')}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
