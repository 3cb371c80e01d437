// Which journeys start first: browser journeys (the longest), then the rest as defined.
import { describe, expect, it } from 'vitest';
import { startOrder } from '../../src/engine/runner.ts';
import { browser, defineJourney, http, type JourneyDefinition } from '../../src/engine/journey.ts';

const api = (id: string) => defineJourney({ id, title: id, steps: [http('ping', { request: () => ({ method: 'GET', path: '/healthz' }) })] });
const ui = (id: string) =>
  defineJourney({ id, title: id, steps: [http('ping', { request: () => ({ method: 'GET', path: '/healthz' }) }), browser('look', { run: async () => undefined })] });

describe('journey start order', () => {
  const cases: { name: string; journeys: JourneyDefinition[]; expected: string[] }[] = [
    { name: 'API journeys only: as defined', journeys: [api('a'), api('b'), api('c')], expected: ['a', 'b', 'c'] },
    { name: 'a browser journey defined late starts first', journeys: [api('a'), api('b'), ui('c'), api('d')], expected: ['c', 'a', 'b', 'd'] },
    { name: 'several browser journeys keep their order among themselves', journeys: [ui('a'), api('b'), ui('c')], expected: ['a', 'c', 'b'] },
    { name: 'no journeys', journeys: [], expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(startOrder(c.journeys).map((i) => c.journeys[i]!.id)).toEqual(c.expected);
    });
  }
});
