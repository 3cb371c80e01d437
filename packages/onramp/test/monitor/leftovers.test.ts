// A monitor run whose cleanup could not remove its synthetic identities names them on the log, with
// how to remove them, as `onramp run` does on stderr.
import { describe, expect, it } from 'vitest';
import { cleanup, defineJourney, idp, type IdpStep } from '../../src/engine/journey.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import { secret } from '../../src/engine/secret.ts';
import type { Target } from '../../src/engine/target.ts';
import { MemoryHistory } from '../../src/monitor/history.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { startMonitor } from '../../src/monitor/monitor.ts';

const target: Target = { name: 'scripted', apiUrl: 'http://127.0.0.1:9', idpUrl: 'http://127.0.0.1:9', realm: 'r', loginClient: { clientId: 'c' }, adminClient: { clientId: 'a', clientSecret: secret('s') }, systemAdmin: { username: 'u', password: secret('p') }, production: false };
const scripted: StepExecutor<IdpStep> = { kind: 'idp', run: async (step, ctx) => void (await step.run(undefined as never, ctx)) };

const leaky = defineJourney({
  id: 'leaky',
  title: 'leaky',
  steps: [
    idp('create', { run: async (_kc, ctx) => void ctx.identity('user') }),
    cleanup(idp('remove the user', { run: async (_kc, ctx) => ctx.fail('cleanup_failed', 'DELETE /api/v1/admin/users/x: 503') })),
  ],
});

describe('the monitor: identities cleanup could not remove', () => {
  it('are named on the log with the sweep command, run by run', async () => {
    const lines: string[] = [];
    const monitor = await startMonitor({
      journeys: [{ journey: leaky, schedule: { kind: 'interval', everyMs: 1_000, text: '1s' }, jitterMs: 0 }],
      target,
      executors: [scripted as StepExecutor],
      settings: { concurrency: 1, browserConcurrency: 1, runTimeoutMs: 5_000, graceMs: 1_000, retentionMs: 86_400_000 },
      store: new MemoryHistory(),
      metrics: new MonitorMetrics({ processMetrics: false }),
      host: '127.0.0.1',
      port: 0,
      log: (l) => lines.push(l),
      sweepHint: 'remove them with: onramp sweep --target scripted --ttl 0s',
    });
    try {
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.includes('cleanup could not remove')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await monitor.stop();
    }
    const report = lines.find((l) => l.includes('cleanup could not remove'));
    expect(report).toMatch(/^onramp monitor: leaky run \S+: cleanup could not remove the synthetic identities of 1 journey attempt:\n {2}- leaky \(attempt 1\): onramp-syn-\S+-leaky-user \(remove the user: failed \(cleanup_failed\): DELETE \/api\/v1\/admin\/users\/x: 503\)\nremove them with: onramp sweep --target scripted --ttl 0s$/);
  });
});
