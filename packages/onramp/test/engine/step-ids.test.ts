// Stable step ids: declared on the step or derived once from its title, unique within a journey
// (checked at load), and what the metrics' step label, results.json and JUnit key on, so a
// reworded title of a step with a declared id changes no series.
import { describe, expect, it } from 'vitest';
import { checkJourney, loadJourneys } from '../../src/engine/load-journeys.ts';
import { defineJourney, http, slugOf, stepId, type JourneyDefinition } from '../../src/engine/journey.ts';
import { runJourneys } from '../../src/engine/runner.ts';
import { fanOut } from '../../src/engine/reporter.ts';
import { MonitorMetrics } from '../../src/monitor/metrics.ts';
import { metricsSink } from '../../src/monitor/metrics-sink.ts';
import { toReport } from '../../src/reporters/json.ts';
import { toJUnitXml } from '../../src/reporters/junit.ts';
import { targetAt, useLocalApi } from '../support/targets.ts';

const api = useLocalApi((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));

const ping = (title: string, o: { id?: string; status?: number } = {}) =>
  http(title, { ...(o.id ? { id: o.id } : {}), request: () => ({ method: 'GET', path: '/ping' }), expect: { status: o.status ?? 200, contract: false } });

const journeyOf = (...steps: ReturnType<typeof ping>[]): JourneyDefinition => defineJourney({ id: 'j', title: 'j', steps });

describe('step ids', () => {
  it.each([
    ['sign up', 'sign-up'],
    ['Switch user: the tenant admin replaces the temporary password', 'switch-user-the-tenant-admin-replaces-the-temporary-password'],
    ['user.create audit row has the same correlation id', 'user-create-audit-row-has-the-same-correlation-id'],
    ['  --Ünïcode & punctuation!! ', 'unicode-punctuation'],
    ['set_password', 'set_password'],
    ['!!!', 'step'],
    ['x'.repeat(80), 'x'.repeat(64)],
  ])('derives %j as %j', (title, id) => {
    expect(slugOf(title)).toBe(id);
    expect(stepId({ name: title })).toBe(id);
  });

  it('a declared id wins over the title', () => {
    expect(stepId({ name: 'Sign up (v2 wording)', id: 'sign-up' })).toBe('sign-up');
  });

  it.each([
    ['two titles with one slug', [ping('Sign up'), ping('sign up!')], 'j.journey.ts: journey "j": steps[0] "Sign up" and steps[1] "sign up!" have the same step id "sign-up" (give one of them its own id:)'],
    ['a declared id equal to another step\'s derived one', [ping('sign up'), ping('register', { id: 'sign-up' })], 'j.journey.ts: journey "j": steps[0] "sign up" and steps[1] "register" have the same step id "sign-up" (give one of them its own id:)'],
    ['a declared id that is no slug', [ping('sign up', { id: 'Sign Up' })], 'j.journey.ts: steps[0] "sign up": id "Sign Up" must be a slug (a-z, 0-9, - and _, starting with a letter or digit, up to 64)'],
  ])('refuses %s at load, naming the journey and both steps', (_name, steps, problem) => {
    expect(checkJourney(journeyOf(...steps), 'j.journey.ts')).toEqual([problem]);
  });

  it('accepts two steps with one title when their declared ids differ', () => {
    expect(checkJourney(journeyOf(ping('log in', { id: 'owner-login' }), ping('log in', { id: 'member-login' })), 'j.journey.ts')).toEqual([]);
  });

  it('the shipped journeys load: every step id is unique within its journey', async () => {
    const journeys = await loadJourneys();
    for (const j of journeys) expect(new Set(j.steps.map(stepId)).size, j.id).toBe(j.steps.length);
  });

  it('a reworded title with a declared id keeps every metric series; results.json and JUnit carry the id', async () => {
    const runWith = async (title: string) => {
      const metrics = new MonitorMetrics({ processMetrics: false });
      const run = await runJourneys({ journeys: [journeyOf(ping(title, { id: 'ping-api', status: 201 }))], target: targetAt(api.url), executors: [api.executor], reporter: fanOut([metricsSink(metrics)], (_n, _h, err) => { throw err; }) });
      const series = (await metrics.expose(undefined)).body.split('\n').filter((l) => /^onramp_step_/.test(l)).map((l) => l.replace(/ [\d.e+-]+$/, ''));
      return { run, series };
    };
    const before = await runWith('ping the API');
    const after = await runWith('the API answers a ping (reworded)');
    expect(after.series).toEqual(before.series);
    expect(before.series).toContain('onramp_step_failures_total{journey="j",step="ping-api",code="unexpected_status"}');
    const step = toReport(after.run).journeys[0]!.steps[0]!;
    expect({ id: step.id, name: step.name }).toEqual({ id: 'ping-api', name: 'the API answers a ping (reworded)' });
    expect(toJUnitXml(after.run)).toContain('<testcase name="ping-api" classname="j"');
  });
});
