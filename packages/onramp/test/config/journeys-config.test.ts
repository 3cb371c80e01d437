// A config without targets (the embedded sandbox), and where its journeys come from: onramp's
// built-in ones plus journeys.dir, or journeys.dir alone with `builtin: false`; an id used twice
// across the two folders names both files.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.ts';
import { DEFAULT_JOURNEYS_DIR, JourneyLoadError, loadJourneys, type JourneySources } from '../../src/engine/load-journeys.ts';
import { TARGET_YAML, useConfigDir } from './config-fixture.ts';

const configs = useConfigDir('onramp-journeys-config-');
const BUILTIN = (await readdir(DEFAULT_JOURNEYS_DIR)).filter((f) => f.endsWith('.journey.ts')).map((f) => f.replace(/\.journey\.ts$/, '')).sort();

/** A journey file importing nothing: loads anywhere, from any folder. */
const journeyFile = (id: string) => `export default { id: '${id}', title: 'own ${id}', tags: ['own'], steps: [{ name: 'a step', kind: 'http' }] };\n`;

/** A folder under the test's temporary folder with these journeys (a package.json of "type": "module"). */
async function folder(name: string, ids: string[]): Promise<string> {
  const dir = join(configs.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const id of ids) await writeFile(join(dir, `${id}.journey.ts`), journeyFile(id));
  return dir;
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (err instanceof JourneyLoadError || err instanceof ConfigError) return err.problems;
  if (err) throw err;
  return [];
}

describe('a config without targets', () => {
  it.each([
    ['journeys only', 'journeys: { dir: ./mine }\n'],
    ['contracts only', 'contracts: ./my-contracts\n'],
    ['journeys, contracts and defaults', 'journeys: { dir: ./mine, builtin: false, tags: [api] }\ncontracts: ./my-contracts\ndefaults: { reporters: [console, junit] }\n'],
    ['an empty mapping', '{}\n'],
  ])('loads %s, naming no target', async (_name, yaml) => {
    const config = await configs.load(yaml, {});
    expect(config.targets.size).toBe(0);
  });

  it('keeps journeys.builtin and resolves journeys.dir against the config file', async () => {
    const config = await configs.load('journeys: { dir: ./mine, builtin: false }\n', {});
    expect(config.journeys).toMatchObject({ dir: join(configs.dir, 'mine'), builtin: false });
  });

  it.each([
    ['builtin that is not a boolean', 'journeys: { dir: ./mine, builtin: "no" }\n', 'journeys.builtin: must be boolean'],
    ['builtin: false without a dir', 'journeys: { builtin: false }\n', 'journeys.builtin: false turns the built-in journeys off, but there is no journeys.dir'],
    ['a default target that is not there', 'defaults: { target: staging }\n', 'defaults.target: no target named "staging" (known: sandbox)'],
    ['an empty targets mapping', 'targets: {}\n', 'targets: name at least one target, or leave targets out'],
    ['a list instead of a mapping', '- journeys\n', '(top level): must be a mapping'],
  ])('names %s by its path', async (_name, yaml, expected) => {
    const problems = await problemsOf(configs.load(yaml, {}));
    expect(problems.some((p) => p.startsWith(expected)), problems.join('\n')).toBe(true);
  });

  it('still names every problem at once, with the targets\' when there are targets', async () => {
    const problems = await problemsOf(configs.load(`${TARGET_YAML.replace('https://api.example.test', 'ftp://api')}journeys: { builtin: 1 }\n`, {}));
    expect(problems).toEqual(['targets.staging.api_url: must be an http(s) URL', 'journeys.builtin: must be boolean']);
  });
});

describe('journeys.builtin and journeys.dir', () => {
  it.each<[string, (mine: string) => JourneySources, (mine: string[]) => string[]]>([
    ['no journeys section: the built-in journeys', () => ({}), () => BUILTIN],
    ['dir: the built-in journeys, then the folder\'s', (mine) => ({ dir: mine }), (ids) => [...BUILTIN, ...ids]],
    ['dir and builtin: true: the same', (mine) => ({ dir: mine, builtin: true }), (ids) => [...BUILTIN, ...ids]],
    ['dir and builtin: false: the folder\'s only', (mine) => ({ dir: mine, builtin: false }), (ids) => ids],
    ['dir naming the built-in folder itself: each journey once', () => ({ dir: DEFAULT_JOURNEYS_DIR }), () => BUILTIN],
  ])('%s', async (_name, sources, expected) => {
    const mine = await folder(`mine-${Math.random().toString(36).slice(2)}`, ['own-a', 'own-b']);
    const journeys = await loadJourneys(sources(mine));
    expect(journeys.map((j) => j.id)).toEqual(expected(['own-a', 'own-b']));
  });

  it('names both files of a journey id used in both folders', async () => {
    const mine = await folder('dupes', ['own-a', BUILTIN[0]!]);
    const problems = await problemsOf(loadJourneys({ dir: mine }));
    expect(problems).toEqual([`${join(mine, `${BUILTIN[0]}.journey.ts`)}: journey id "${BUILTIN[0]}" is also used by ${join(DEFAULT_JOURNEYS_DIR, `${BUILTIN[0]}.journey.ts`)}`]);
  });

  it.each<[string, (mine: string) => JourneySources, string]>([
    ['builtin: false and no dir', () => ({ builtin: false }), 'journeys.builtin is false and there is no journeys.dir'],
    ['a dir that is not there', (mine) => ({ dir: join(mine, 'missing') }), 'missing: cannot read the journeys folder (ENOENT)'],
    ['a dir without journeys', (mine) => ({ dir: mine }), 'no *.journey.ts files'],
  ])('names %s', async (_name, sources, expected) => {
    const mine = await folder(`empty-${Math.random().toString(36).slice(2)}`, []);
    const problems = await problemsOf(loadJourneys(sources(mine)));
    expect(problems.some((p) => p.includes(expected)), problems.join('\n')).toBe(true);
  });
});
