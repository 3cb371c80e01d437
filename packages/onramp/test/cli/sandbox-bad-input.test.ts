// `onramp sandbox` and `onramp sandbox idp` refuse bad input the same way: exit 2, the option named,
// no stack trace, and no hang (whatever had started before the failure is closed again).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from '../support/spawn-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'onramp-sandbox-bad-'));
const aFile = join(dir, 'not-a-dir');
writeFileSync(aFile, 'x');
writeFileSync(join(dir, 'x.secrets'), 'a file where the secrets folder would go');

// A port held by someone else, as the platform's port (base + 1): the failure comes after the IdP
// and the console are already listening, so they must be closed for the process to exit. Its
// neighbours (the IdP's and the console's ports) must be free, or the sandbox names another port:
// the port is drawn below the ephemeral range the other tests' servers get theirs from, and taken
// only when both neighbours can be bound.
let busy: Server;
let busyPort = 0;
const listenOn = (port: number) =>
  new Promise<Server | undefined>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));
beforeAll(async () => {
  for (let attempt = 0; attempt < 50 && !busyPort; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const held = await listenOn(port);
    if (!held) continue;
    const neighbours = await Promise.all([listenOn(port - 1), listenOn(port + 1)]);
    await Promise.all(neighbours.map((n) => n && close(n)));
    if (neighbours.every(Boolean)) [busy, busyPort] = [held, port];
    else await close(held);
  }
  if (!busyPort) throw new Error('no port below 30000 with both neighbours free after 50 tries');
});
afterAll(() => busy.close());

// --write-config is checked before anything listens: with a taken --port-base, a check made after
// the start would be named as the port's. Nothing is written: no FILE, no FILE.secrets/.
const aFolder = join(dir, 'a-folder');
mkdirSync(aFolder);
const writeConfig = (path: string) => ['sandbox', '--port-base', '{busy-1}', '--write-config', path];
const cases: { name: string; args: string[]; env?: Record<string, string>; mentions: (string | RegExp)[]; hidden?: string; absent?: string[] }[] = [
  { name: '--write-config empty', args: writeConfig(''), mentions: ['--write-config: expected a file path, got an empty string'] },
  { name: '--write-config naming a folder', args: writeConfig(aFolder), mentions: [`--write-config: ${aFolder} is a folder, not a file`], absent: [`${aFolder}.secrets`] },
  { name: '--write-config under /proc', args: writeConfig('/proc/x'), mentions: ['--write-config: cannot write /proc/x'], absent: ['/proc/x.secrets'] },
  { name: '--write-config in a missing folder', args: writeConfig(join(dir, 'missing', 'sandbox.yaml')), mentions: [`--write-config: cannot write ${join(dir, 'missing', 'sandbox.yaml')}: its folder ${join(dir, 'missing')} does not exist`], absent: [join(dir, 'missing')] },
  { name: '--write-config under a file', args: writeConfig(join(aFile, 'sandbox.yaml')), mentions: [`--write-config: cannot write ${join(aFile, 'sandbox.yaml')}: `, 'is a file, not a folder'] },
  { name: '--write-config whose secrets folder is a file', args: writeConfig(join(dir, 'x')), mentions: ['--write-config: cannot write', 'x.secrets is a file, not a folder'], absent: [join(dir, 'x')] },
  { name: '--data-dir naming a file', args: ['sandbox', '--data-dir', aFile], mentions: ['--data-dir', aFile, 'not a directory'] },
  { name: '--database that is no URL', args: ['sandbox', '--database', 'not-a-url'], mentions: ['--database', 'not-a-url'] },
  { name: '--database of another scheme', args: ['sandbox', '--database', 'mysql://u@127.0.0.1/db'], mentions: ['--database', 'postgres://'] },
  {
    name: '--database nobody listens on (password redacted)',
    args: ['sandbox', '--database', 'postgres://u:hunter22@127.0.0.1:1/db'],
    mentions: ['--database', 'cannot connect to postgres://u:***@127.0.0.1:1/db', 'ECONNREFUSED'],
    hidden: 'hunter22',
  },
  { name: '--database on an unknown host', args: ['sandbox', '--database', 'postgres://u@no-such-host.invalid/db'], mentions: ['--database', 'no-such-host.invalid', 'ENOTFOUND'] },
  { name: 'DATABASE_URL that is no URL', args: ['sandbox'], env: { DATABASE_URL: 'nope' }, mentions: ['DATABASE_URL', 'nope'] },
  { name: '--port-base whose platform port is taken', args: ['sandbox', '--port-base', '{busy-1}'], mentions: ['--port-base', 'port {busy} is in use'] },
  { name: '--port-base out of range', args: ['sandbox', '--port-base', '70000'], mentions: ['--port-base', '70000'] },
  { name: 'sandbox idp --database that is no URL', args: ['sandbox', 'idp', '--database', 'not-a-url'], mentions: ['--database', 'not-a-url'] },
  { name: 'sandbox idp --database nobody listens on', args: ['sandbox', 'idp', '--database', 'postgres://u@127.0.0.1:1/db'], mentions: ['--database', 'ECONNREFUSED'] },
  { name: 'sandbox idp --port taken', args: ['sandbox', 'idp', '--port', '{busy}'], mentions: ['--port', 'port {busy} is in use'] },
];

describe('onramp sandbox: bad input', () => {
  it.each(cases)('$name: exit 2 naming it, within seconds', async ({ args, env, mentions, hidden, absent }) => {
    // The busy port is known only once the suite runs.
    const fill = <T,>(x: T) => (typeof x === 'string' ? x.replace('{busy-1}', String(busyPort - 1)).replace('{busy}', String(busyPort)) : x);
    const r = await runCli(args.map(fill), env, { timeoutMs: 20_000 });
    expectUsageError(r, ...mentions.map(fill));
    if (args.includes('--write-config')) expect(r.stderr, 'the sandbox started before --write-config was checked').not.toContain('is in use');
    if (hidden) expect(r.stderr + r.stdout).not.toContain(hidden);
    for (const path of absent ?? []) expect(existsSync(path), `${path} was left behind`).toBe(false);
  }, 30_000);
});
