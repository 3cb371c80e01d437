// `onramp sweep` through the real CLI against a target nobody answers for: the URL is named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli, startCli } from '../support/spawn-cli.ts';
import { syntheticName } from '../../src/engine/identities.ts';

describe('onramp sweep', () => {
  it.each([
    ['400d', '--ttl: expected a duration from 0s to 365d, got "400d"'],
    ['99999999999999999999d', '--ttl: expected a duration from 0s to 365d, got "99999999999999999999d"'],
    ['soon', '--ttl: expected a duration from 0s to 365d (such as 90s, 30m, 6h or 7d), got "soon"'],
  ])('--ttl %s: exit 2 naming it, before any target is reached', async (ttl, message) => {
    const r = await runCli(['sweep', '--ttl', ttl], {}, { timeoutMs: 20_000, cwd: mkdtempSync(join(tmpdir(), 'onramp-sweep-ttl-')) });
    expectUsageError(r, message);
  }, 30_000);

  it('names the URL it could not reach, exit 1, no stack trace', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dead = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((r) => server.close(r));
    const dir = mkdtempSync(join(tmpdir(), 'onramp-sweep-cli-'));
    const config = join(dir, 'onramp.config.yaml');
    writeFileSync(config, `targets:\n  gone:\n    api_url: ${dead}\n    idp_url: ${dead}\n    realm: r\n    login_client: { client_id: c }\n    admin_client: { client_id: a, client_secret: { env: SWEEP_ADMIN } }\n    system_admin: { username: u, password: { env: SWEEP_PW } }\n`);
    const r = await runCli(['sweep', '--config', config, '--target', 'gone', '--dry-run'], { SWEEP_ADMIN: 'x', SWEEP_PW: 'y' }, { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach ${dead}/realms/r/protocol/openid-connect/token (ECONNREFUSED)`);
    expect(r.stderr).not.toContain('fetch failed');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('removes exactly what --dry-run listed, from a running sandbox through its written config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onramp-sweep-sandbox-'));
    const config = join(dir, 'sandbox.yaml');
    const sandbox = startCli(['sandbox', '--json', '--write-config', config]);
    try {
      const ready = (await sandbox.firstLine) as Record<string, any>;
      const name = syntheticName('sweepcli', 'left');
      const signup = await fetch(`${ready.platform}/api/v1/auth/personal/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${name}@synthetic.onramp.test`, password: 'SyLeftover-Passw0rd!', display_name: name }),
      });
      expect(signup.status).toBe(201);

      const sweepJson = async (...extra: string[]) => {
        const r = await runCli(['sweep', '--config', config, '--ttl', '0', '--json', ...extra], {}, { timeoutMs: 30_000 });
        expect(r.code, r.stderr).toBe(0);
        return JSON.parse(r.stdout);
      };
      const plan = await sweepJson('--dry-run');
      expect(plan.keycloakUsers).toContain(`${name}@synthetic.onramp.test`);
      expect(plan.platformUsers).toHaveLength(1);
      const done = await sweepJson();
      expect({ ...done, dryRun: true }).toEqual(plan);
      expect(await sweepJson('--dry-run')).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
    } finally {
      sandbox.child.kill('SIGTERM');
      await sandbox.exit;
    }
  }, 90_000);
});
