// A second SIGTERM/SIGINT during cleanup exits at once, and names what it leaves behind: the
// journeys whose cleanup had not finished and their synthetic identities, which `onramp sweep`
// then finds (and removes). A first signal's message gives the cleanup budget the steps' own
// timeouts make.
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/spawn-cli.ts';
import { useExternalSandbox } from '../support/external-sandbox.ts';

const env = useExternalSandbox();

describe('onramp run: a second signal', () => {
  it('exits at once, naming the identities it leaves; sweep finds exactly those', async () => {
    let first = 0;
    let second = 0;
    const { code, stdout, stderr } = await spawnCli(['run', '--config', env.sandbox.config, '--target', 'local', '--reporter', 'console', '--output', `${env.dir}/twice`], env.sandbox.env, (so, child) => {
      if (!first && (so.match(/^ {2}ok /gm) ?? []).length >= 4) {
        first = Date.now();
        child.kill('SIGTERM');
        setTimeout(() => {
          second = Date.now();
          child.kill('SIGTERM');
        }, 30);
      }
    }).done;
    expect(first).toBeGreaterThan(0);
    expect(code, `${stdout}\n${stderr}`).toBe(143);
    expect(stderr).toMatch(/SIGTERM received: cleaning up \(up to \d+ s, the cleanup steps' own timeouts\) and writing reports \(SIGTERM again to exit at once\)/);
    const named = [...stderr.matchAll(/onramp-syn-[a-z0-9-]+/g)].map((m) => m[0]);
    const sweep = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
    const left = JSON.parse(sweep.stdout) as { keycloakUsers: string[]; tenants: string[] };
    if (/received again: exiting now; no synthetic identity is left behind/.test(stderr)) {
      expect(left.keycloakUsers).toEqual([]);
    } else {
      expect(stderr).toMatch(/SIGTERM received again: exiting now; cleanup did not finish for \d+ journeys?, left behind:\n {2}- [a-z-]+ \(attempt 1\): .*\(its cleanup (was still running|had not started)\)/);
      expect(stderr).toContain('remove them with: onramp sweep --target local --ttl 0s');
      // Every identity sweep finds was named (a name may not have reached the target yet); a
      // self-signed-up user's Keycloak username is its email, the named username @ the test domain.
      expect(left.keycloakUsers.filter((u) => !named.includes(u.split('@')[0]!))).toEqual([]);
      expect(named.length).toBeGreaterThan(0);
    }
    console.log(`second signal ${second - first} ms after the first: ${named.length} identities named, ${left.keycloakUsers.length} Keycloak users and ${left.tenants.length} tenants found by sweep`);
    // And the sweep removes them.
    const removed = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--ttl', '0s', '--json'], env.sandbox.env);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await runCli(['sweep', '--config', env.sandbox.config, '--target', 'local', '--dry-run', '--ttl', '0s', '--json'], env.sandbox.env);
    expect(JSON.parse(after.stdout)).toMatchObject({ keycloakUsers: [], platformUsers: [], tenants: [] });
  }, 120_000);
});
