// Required kinds of check: a step that would be skipped for want of what it needs (a db step on a
// target without a database) is a skip, counted and said in the summary, unless the run
// (--require) or the target (require:) requires its kind; then it fails as check_unavailable,
// naming what is missing and how to provide it, and the journey's other steps still run.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { db, defineJourney, http } from '../../src/engine/journey.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { createDbExecutor } from '../../src/engine/executors/db.ts';
import type { RequirableKind } from '../../src/engine/results.ts';
import { ConsoleReporter } from '../../src/reporters/console.ts';
import { toReport, unavailableChecks } from '../../src/reporters/json.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const api = useLocalApi((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': '0e3f4c1a-0000-4000-8000-00000000000a' }).end('{}'));

const journey = defineJourney({
  id: 'with-db',
  title: 'an API call and a db check',
  steps: [
    db('rows exist', { id: 'rows', run: async (query) => void (await query('SELECT 1')) }),
    http('ping', { request: () => ({ method: 'GET', path: '/ping' }), expect: { status: 200, contract: false } }),
  ],
});

async function run(o: { option?: RequirableKind[]; target?: RequirableKind[] }) {
  const result = await runJourneys({ journeys: [journey], target: targetAt(api.url, o.target ? { require: o.target } : {}), executors: [api.executor, createDbExecutor()], require: o.option });
  // The console's summary, as a run prints it at its end.
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  new ConsoleReporter(out).onRunEnd(result);
  return { result, text, steps: result.journeys[0]!.attempts[0]!.steps };
}

describe('required checks', () => {
  it('without require, a db step on a target without a database is skipped as unavailable, and the summary says so', async () => {
    const { result, text, steps } = await run({});
    expect(result.status).toBe('passed');
    expect(steps.map((s) => [s.id, s.status, s.skipReason])).toEqual([['rows', 'skipped', 'unavailable'], ['ping', 'passed', undefined]]);
    expect(steps[0]!.message).toBe('the target names no database (set database_url on the target to run db checks)');
    expect(unavailableChecks(result)).toBe('1 check skipped as unavailable (db: 1)');
    expect(text).toContain('2 steps: 1 passed, 0 failed, 0 error, 1 skipped; 1 check skipped as unavailable (db: 1)');
    expect(toReport(result).journeys[0]!.steps[0]).toMatchObject({ id: 'rows', status: 'skipped', skip_reason: 'unavailable' });
  });

  it.each([
    ['--require db', { option: ['db'] as RequirableKind[] }],
    ['the target\'s require: [db]', { target: ['db'] as RequirableKind[] }],
  ])('with %s, it fails as check_unavailable naming what is missing and how to provide it; the other steps still run', async (_name, o) => {
    const { result, steps } = await run(o);
    expect(result.status).toBe('failed');
    expect(steps.map((s) => [s.id, s.status, s.code])).toEqual([['rows', 'failed', 'check_unavailable'], ['ping', 'passed', undefined]]);
    expect(steps[0]).toMatchObject({
      message: 'db checks are required (require: [db]) but this one cannot run: the target names no database (set database_url on the target to run db checks)',
      expected: 'a db check that runs',
      actual: 'the target names no database (set database_url on the target to run db checks)',
    });
    expect(unavailableChecks(result)).toBeUndefined();
  });

  it('requiring browser does not touch a run whose db step is unavailable', async () => {
    const { result, steps } = await run({ option: ['browser'] });
    expect(result.status).toBe('passed');
    expect(steps[0]!.skipReason).toBe('unavailable');
  });
});
