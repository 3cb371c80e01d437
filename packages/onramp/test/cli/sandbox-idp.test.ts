// `onramp sandbox idp --json` as a user runs it: one ready line, working credentials, clean exit.
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/spawn-cli.ts';

describe('onramp sandbox idp', () => {
  it('prints exactly one ready line whose credentials work, then exits 0 on SIGTERM', async () => {
    const cli = startCli(['sandbox', 'idp', '--json']);
    const ready = (await cli.firstLine) as {
      event: string; idp: string; realm: string;
      adminClient: { clientId: string; clientSecret: string };
      canaryClient: { clientId: string; clientSecret: string };
      consoleClient: { clientId: string; redirectUri: string };
      systemAdmin: { username: string; password: string };
    };
    expect(ready).toMatchObject({ event: 'ready', realm: 'sandbox', adminClient: { clientId: 'platform-admin' }, canaryClient: { clientId: 'onramp-canary' } });
    expect(ready.consoleClient.redirectUri).toMatch(/^http:\/\/.+\/auth\/callback$/);

    const token = (form: Record<string, string>) => fetch(`${ready.idp}/realms/${ready.realm}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
    expect((await token({ grant_type: 'client_credentials', client_id: ready.adminClient.clientId, client_secret: ready.adminClient.clientSecret })).status).toBe(200);
    const canary = await token({
      grant_type: 'password', client_id: ready.canaryClient.clientId, client_secret: ready.canaryClient.clientSecret,
      username: ready.systemAdmin.username, password: ready.systemAdmin.password,
    });
    expect(canary.status).toBe(200);

    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('names the realm-file problems and exits 2 for a bad realm file', async () => {
    const { code, stderr } = await runCli(['sandbox', 'idp', '--json', '--realm-file', 'package.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('$.realm: required');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects an unknown option with usage and exit 2', async () => {
    const { code, stderr } = await runCli(['sandbox', 'idp', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--bogus'/);
    expect(stderr).toContain('Usage: onramp sandbox idp');
  });

  it('lists its commands in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('sandbox idp');
  });
});
