// One sandbox per test file for the journey tests: PostgreSQL 15 (so db steps run), a fast
// reconciliation worker (identity-drift waits for it), the shipped journeys loaded from journeys/,
// the engine's executors with the contract index, and leftover checks on both stores.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { useTestPostgres } from '../../../../test/support/postgres.ts';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src/start.ts';
import { sandboxTarget } from '../../src/app/sandbox.ts';
import { sandboxHandle } from '../../../sandbox/src/handle.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { createHttpExecutor } from '../../src/engine/executors/http.ts';
import { createIdpExecutor } from '../../src/engine/executors/idp.ts';
import { createDbExecutor } from '../../src/engine/executors/db.ts';
import { createBrowserExecutor } from '../../src/engine/executors/browser.ts';
import type { StepExecutor } from '../../src/engine/executors/executor.ts';
import type { JourneyDefinition } from '../../src/engine/journey.ts';
import type { JourneyResult, StepResult } from '../../src/engine/results.ts';
import type { Target } from '../../src/engine/target.ts';
import { SYNTHETIC_PREFIX } from '../../src/engine/identities.ts';
import { loadContracts } from '../../src/contracts/index.ts';

export const JOURNEYS_DIR = fileURLToPath(new URL('../../journeys/', import.meta.url));

export async function loadJourneys(): Promise<JourneyDefinition[]> {
  const files = readdirSync(JOURNEYS_DIR).filter((f) => f.endsWith('.journey.ts')).sort();
  const out: JourneyDefinition[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(JOURNEYS_DIR, f)).href)) as { default: JourneyDefinition };
    const stem = basename(f, '.journey.ts');
    if (mod.default?.id !== stem) throw new Error(`${f}: journey id "${mod.default?.id}" must be the file name stem "${stem}"`);
    out.push(mod.default);
  }
  return out;
}

export interface JourneySandbox {
  sandbox: RunningSandbox;
  target: Target;
  journeys: JourneyDefinition[];
  apiJourneys(): JourneyDefinition[];
  journey(id: string): JourneyDefinition;
  run(journeys: JourneyDefinition[]): ReturnType<typeof runJourneys>;
  /** The step a failed journey is reported by: its first failed step that is not cleanup. */
  firstFailure(j: JourneyResult): StepResult | undefined;
  leftovers(): Promise<{ platform: string[]; keycloak: string[] }>;
}

export function useJourneySandbox(o: { workerIntervalMs?: number } = {}): JourneySandbox {
  const pg = useTestPostgres();
  const executors: StepExecutor[] = [];
  const env = {
    apiJourneys: () => env.journeys.filter((j) => j.tags.includes('api')),
    journey: (id: string) => {
      const j = env.journeys.find((x) => x.id === id);
      if (!j) throw new Error(`no journey ${id}`);
      return j;
    },
    run: (journeys: JourneyDefinition[]) => runJourneys({ journeys, target: env.target, executors, retries: 0 }),
    firstFailure: (j: JourneyResult) => j.attempts.at(-1)?.steps.find((s) => !s.always && (s.status === 'failed' || s.status === 'error')),
    async leftovers() {
      const { rows } = await env.sandbox.pool.query<{ id: string }>(
        `SELECT id FROM platform.users WHERE id LIKE $1 OR lower(email) LIKE $1 ORDER BY id`,
        [`${SYNTHETIC_PREFIX}%`],
      );
      const kc = (await env.sandbox.idp.ctx.store.listUsers('sandbox')).filter((u) => u.username.startsWith(SYNTHETIC_PREFIX) || (u.email ?? '').startsWith(SYNTHETIC_PREFIX));
      return { platform: rows.map((r) => r.id), keycloak: kc.map((u) => u.username) };
    },
  } as JourneySandbox;
  beforeAll(async () => {
    const databaseUrl = await pg.createDatabase();
    // The worker's 30 s default is an operator's choice; identity-drift would wait for it.
    env.sandbox = await startSandbox({ databaseUrl, log: pino({ level: 'silent' }), workerIntervalMs: o.workerIntervalMs ?? 300 });
    env.target = sandboxTarget(sandboxHandle(env.sandbox));
    executors.push(createHttpExecutor({ contracts: await loadContracts() }), createIdpExecutor(), createDbExecutor(), createBrowserExecutor({ outputDir: mkdtempSync(join(tmpdir(), 'onramp-journeys-')) }));
    env.journeys = await loadJourneys();
  }, 60_000);
  afterAll(async () => {
    for (const e of executors) await e.close?.();
    await env.sandbox?.close();
  }, 60_000);
  return env;
}
