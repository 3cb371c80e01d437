// `onramp sandbox --json` on the embedded database, as a user starts it.
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/spawn-cli.ts';

describe('onramp sandbox', () => {
  it('reaches ready on the embedded database with one JSON line, serves API and console, exits 0 on SIGTERM', async () => {
    const cli = startCli(['sandbox', '--json', '--fault', 'readonly_label']);
    const ready = (await cli.firstLine) as Record<string, any>;
    expect(ready).toMatchObject({ event: 'ready', realm: 'sandbox', faults: ['readonly_label'], adminClient: { clientId: 'platform-admin' } });
    for (const key of ['idp', 'platform', 'console', 'controlToken']) expect(typeof ready[key]).toBe('string');
    expect((await fetch(`${ready.platform}/healthz`)).status).toBe(200);
    expect((await fetch(`${ready.console}/`)).status).toBe(200);
    expect((await fetch(`${ready.idp}/realms/sandbox/.well-known/openid-configuration`)).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  }, 60_000);

  it('rejects an unknown --fault with the known names and exit 2', async () => {
    const { code, stderr } = await runCli(['sandbox', '--json', '--fault', 'bogus_fault']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown fault "bogus_fault"');
    expect(stderr).toContain('project_header_dropped');
  });
});
