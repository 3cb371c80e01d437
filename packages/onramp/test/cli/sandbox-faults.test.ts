// The sandbox starts in every fault's state, as an engineer reproducing an incident needs it:
// `onramp sandbox --fault NAME --json` reaches ready for each fault alone and for all at once
// (the platform starts without a usable Keycloak, as a real API pod does), and exits 0 on SIGTERM.
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../../sandbox/src/faults/catalog.ts';
import { startCli } from '../support/spawn-cli.ts';

const CASES: { name: string; faults: string[] }[] = [...FAULTS.map((f) => ({ name: f.name, faults: [f.name] })), { name: 'all faults at once', faults: FAULTS.map((f) => f.name) }];

async function readyWith(faults: string[]): Promise<{ event: unknown; faults: string[]; exit: number | null }> {
  const cli = startCli(['sandbox', '--json', ...faults.flatMap((f) => ['--fault', f])]);
  const ready = await cli.firstLine.finally(() => cli.child.kill('SIGTERM'));
  return { event: ready.event, faults: [...(ready.faults as string[])].sort(), exit: await cli.exit };
}

describe('onramp sandbox --fault NAME --json', () => {
  // Three at a time: each boot is mostly PGlite's start, and two cores are shared with other files.
  const batches: (typeof CASES)[] = [];
  for (let i = 0; i < CASES.length; i += 3) batches.push(CASES.slice(i, i + 3));
  for (const batch of batches) {
    it(`reaches ready with ${batch.map((c) => c.name).join(', ')}`, async () => {
      const results = await Promise.all(batch.map((c) => readyWith(c.faults)));
      expect(results).toEqual(batch.map((c) => ({ event: 'ready', faults: [...c.faults].sort(), exit: 0 })));
    }, 90_000);
  }
});
