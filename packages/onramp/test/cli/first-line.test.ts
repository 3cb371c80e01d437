// The first line a user sees is onramp's own: oidc-provider's "Unsupported runtime" warning on
// Node 20 (printed on import) is dropped, and only that one.
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/spawn-cli.ts';

describe('first line of output', () => {
  it.each([
    [['--help'], 'onramp: synthetic journeys'],
    [['sandbox', '--help'], 'Usage: onramp sandbox'],
    [['sandbox', '--port-base', 'x'], 'onramp sandbox: --port-base'],
    [['sweep', '--config', 'missing.yaml'], 'onramp sweep: --config: no such file: '],
  ])('onramp %j starts with onramp\'s own line', async (args, first) => {
    const r = await runCli(args, {}, { timeoutMs: 20_000 });
    expect((r.stdout + r.stderr).split('\n')[0]).toContain(first);
    expect(r.stderr).not.toContain('Unsupported runtime');
  }, 30_000);

  it('onramp sandbox --json: the ready line first, no warning on stderr', async () => {
    const cli = startCli(['sandbox', '--json']);
    expect(await cli.firstLine).toMatchObject({ event: 'ready' });
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.stderr()).not.toContain('oidc-provider WARNING');
  }, 60_000);

  it('drops only that warning: console.warn is itself again once oidc-provider is loaded', async () => {
    const before = console.warn;
    await import('../../../sandbox/src/idp/oidc/oidc-provider.ts');
    expect(console.warn).toBe(before);
  });
});
