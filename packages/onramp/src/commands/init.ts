// `onramp init [DIR]`: a project's start with onramp. Writes a config that names no target (the
// journeys run on the embedded sandbox) and runs the user's journeys beside the built-in ones, an
// example journey, CI jobs for GitHub Actions and GitLab, a tsconfig for type-checking the journeys
// and the .gitignore entries. The templates are files of the package (templates/init/), copied as
// they are. Nothing the user has is overwritten without --force; a file that is in the way is
// named, all of them at once, and then nothing is written.
import { readFile, stat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';
import { DEFAULT_CONFIG_FILES, usageError, usageProblems } from './common.ts';
import { parseOptions } from './parse-options.ts';
import { sandboxFaultNames, SANDBOX_PACKAGE } from '../app/sandbox.ts';

/**
 * The package's templates/init/. From src/commands/ that is ../../templates; from the compiled CLI
 * (dist/src/…, import.meta.url rewritten to this file's place there) the same path is
 * dist/templates/, which the build copies from templates/.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/init/', import.meta.url));

const USAGE = '[DIR] [--force]';

interface Planned {
  /** Under templates/init/ (without leading dots: npm leaves some dotfiles out of a package). */
  template: string;
  /** Under DIR. */
  to: string;
  mode: 'always' | 'absent';
  /** What it is, for the summary. */
  what: string;
}

/**
 * In the order the summary lists them. `always`: one that exists stops init, unless --force;
 * `absent`: written only where there is none (the user's own is theirs, also with --force).
 */
const PLAN: Planned[] = [
  { template: 'onramp.config.yaml', to: 'onramp.config.yaml', mode: 'always', what: "the config: no target (the embedded sandbox), journeys/ beside onramp's built-in journeys" },
  { template: 'journeys/example.journey.ts', to: 'journeys/example.journey.ts', mode: 'always', what: 'an example journey (id "example")' },
  { template: 'journeys/package.json', to: 'journeys/package.json', mode: 'absent', what: '"type": "module": Node loads the journeys as ES modules, whatever the project is' },
  { template: 'tsconfig.json', to: 'tsconfig.json', mode: 'absent', what: 'for `npx tsc --noEmit` on the journeys' },
  { template: 'github/workflows/onramp.yml', to: '.github/workflows/onramp.yml', mode: 'always', what: 'GitHub Actions: the journeys on every push, onramp-results/ kept, junit.xml as the test report' },
  { template: 'gitlab/onramp.gitlab-ci.yml', to: '.gitlab/onramp.gitlab-ci.yml', mode: 'always', what: 'GitLab CI: the same job; `include:` it from your .gitlab-ci.yml (see its first lines)' },
];
const GITIGNORE = { template: 'gitignore', to: '.gitignore' };

const OPTIONS = { force: { type: 'boolean' } } as const;

export const initCommand: Command = {
  name: 'init',
  summary: 'Start a project in DIR (default .): a config, an example journey, CI jobs, .gitignore entries',
  usage: USAGE,
  help: {
    options: [{ flag: '--force', description: "overwrite onramp init's files where they exist (tsconfig.json and journeys/package.json are never overwritten; .gitignore is only appended to)", default: 'off: existing files stop init, and nothing is written' }],
    examples: [
      { command: 'onramp init', description: 'set up the working directory, then `npx onramp run`' },
      { command: 'onramp init e2e --force', description: "set up the folder e2e/ (created if missing), replacing onramp init's files there" },
    ],
    notes: [
      `Writes onramp.config.yaml, journeys/example.journey.ts, journeys/package.json and tsconfig.json (where there are none), .github/workflows/onramp.yml, .gitlab/onramp.gitlab-ci.yml, and adds onramp-results/ and *.secrets/ to .gitignore. The config names no target: the journeys run on the embedded sandbox (${SANDBOX_PACKAGE}).`,
      'Exit codes: 0 written; 2 usage error, DIR is not a folder or cannot be made, or a file exists already (each one named; nothing written).',
    ],
  },
  async run(args) {
    const { values, positionals, problems } = parseOptions(args, OPTIONS, { positionals: true });
    if (positionals.length > 1) problems.push(`expected one folder, got ${positionals.length}: ${positionals.join(' ')}`);
    if (problems.length) throw usageProblems(problems, `onramp init ${USAGE}`);
    const given = positionals[0] ?? '.';
    const dir = resolve(given);
    /** A path under DIR as the user would type it: relative to where they called from. */
    const shown = (rel: string) => join(given, rel);
    const force = values.force === true;

    const made = await makeFolder(dir);
    if (made) throw usageError(`${given}: ${made}`);

    const inTheWay: string[] = [];
    const existing: string[] = [];
    const kept: Planned[] = [];
    for (const p of [...PLAN, { ...GITIGNORE, mode: 'append' as const }]) {
      const blocked = await blockingParent(dir, p.to);
      if (blocked) {
        inTheWay.push(`${shown(blocked)}: is a file, where onramp init makes a folder (for ${p.to})`);
        continue;
      }
      const kind = await kindOf(join(dir, p.to));
      if (kind === 'folder') inTheWay.push(`${shown(p.to)}: is a folder, where onramp init writes a file`);
      else if (kind === 'file' && p.mode === 'always') existing.push(shown(p.to));
      else if (kind === 'file' && p.mode === 'absent') kept.push(p);
    }
    // Another config of the user's would be shadowed: onramp finds onramp.config.yaml first.
    const otherConfigs: string[] = [];
    for (const f of DEFAULT_CONFIG_FILES.filter((f) => f !== 'onramp.config.yaml')) {
      if ((await kindOf(join(dir, f))) === 'file') otherConfigs.push(shown(f));
    }
    if (inTheWay.length) throw usageError(`nothing was written:\n${inTheWay.map((p) => `  - ${p}`).join('\n')}`);
    if ((existing.length || otherConfigs.length) && !force) {
      const lines = [...existing.map((f) => `  - ${f}`), ...otherConfigs.map((f) => `  - ${f} (a config already: onramp would find the new onramp.config.yaml first)`)];
      throw usageError(`${lines.length} file(s) exist already; nothing was written (--force overwrites onramp init's own files):\n${lines.join('\n')}`);
    }

    // Every template read before the first write: a broken install writes nothing either.
    const toWrite = await Promise.all(PLAN.filter((p) => !kept.includes(p)).map(async (p) => ({ ...p, text: await template(p.template) })));
    const gitignore = await template(GITIGNORE.template);
    const written: string[] = [];
    for (const p of toWrite) {
      const overwritten = existing.includes(shown(p.to));
      await writeInto(dir, p.to, p.text);
      written.push(`${p.to}${overwritten ? ' (overwritten)' : ''}\t${p.what}`);
    }
    const added = await appendGitignore(join(dir, GITIGNORE.to), gitignore);
    if (added.created) written.push(`${GITIGNORE.to}\t${added.lines.join(', ')}`);
    else if (added.lines.length) written.push(`${GITIGNORE.to} (appended)\t${added.lines.join(', ')}`);

    const out = [`onramp init: wrote into ${given === '.' ? 'the working directory' : `${given}/`}`];
    const width = Math.max(...written.map((w) => w.split('\t')[0]!.length));
    for (const w of written) {
      const [path, what] = w.split('\t');
      out.push(`  ${path!.padEnd(width)}  ${what}`);
    }
    const untouched = [...kept.map((p) => p.to), ...(!added.created && !added.lines.length ? [GITIGNORE.to] : [])];
    if (untouched.length) out.push(`  kept as they are: ${untouched.join(', ')}`);
    for (const f of otherConfigs) out.push(`  note: ${f} is still there; onramp finds onramp.config.yaml first`);
    out.push('', 'Next:');
    if (given !== '.') out.push(`  cd ${given}`);
    const install = [...((await listsOnramp(dir)) ? [] : ['onramp']), ...((await sandboxFaultNames().catch(() => [])) ? [] : [SANDBOX_PACKAGE])];
    if (install.length) out.push(`  npm i -D ${install.join(' ')}${install.includes(SANDBOX_PACKAGE) ? '   # the embedded sandbox the journeys run on without a target' : ''}`);
    out.push("  npx onramp run                    # onramp's built-in journeys and yours, on the embedded sandbox");
    out.push('  npx onramp run --journey example  # only journeys/example.journey.ts');
    out.push('  npx tsc --noEmit                  # type-check the journeys (npm i -D typescript)');
    console.log(out.join('\n'));
    return 0;
  },
};

/** A template's text. */
async function template(name: string): Promise<string> {
  try {
    return await readFile(join(TEMPLATES_DIR, name), 'utf8');
  } catch (err) {
    throw Object.assign(new Error(`cannot read the template ${join(TEMPLATES_DIR, name)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): is onramp installed completely?`), { exitCode: 1 });
  }
}

/** Makes DIR if missing; says why it cannot be used otherwise. */
async function makeFolder(dir: string): Promise<string | undefined> {
  const kind = await kindOf(dir);
  if (kind === 'folder') return undefined;
  if (kind === 'file') return 'is not a folder';
  try {
    await mkdir(dir, { recursive: true });
    return undefined;
  } catch (err) {
    return `cannot create the folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/** The first folder on the way to `rel` (under `dir`) that exists but is not a folder. */
async function blockingParent(dir: string, rel: string): Promise<string | undefined> {
  const parts = dirname(rel).split(/[\\/]/).filter((p) => p && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const at = parts.slice(0, i).join(sep);
    if ((await kindOf(join(dir, at))) === 'file') return at;
  }
  return undefined;
}

async function writeInto(dir: string, rel: string, text: string): Promise<void> {
  const path = join(dir, rel);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (err) {
    throw usageError(`${relative(process.cwd(), path) || path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Adds the template's entries the .gitignore lacks (its comment line only with them), after the
 * user's lines; a missing .gitignore is created. Answers the entries added.
 */
async function appendGitignore(path: string, text: string): Promise<{ created: boolean; lines: string[] }> {
  const before = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw usageError(`${path}: cannot read (${err.code ?? err.message})`);
  });
  const lines = text.split('\n').filter(Boolean);
  const entries = (ls: string[]) => ls.filter((l) => !l.startsWith('#'));
  if (before === undefined) {
    await writeFile(path, text);
    return { created: true, lines: entries(lines) };
  }
  const have = new Set(before.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (!entries(missing).length) return { created: false, lines: [] };
  const sep = before === '' || before.endsWith('\n') ? '' : '\n';
  await writeFile(path, `${before}${sep}${before === '' ? '' : '\n'}${missing.join('\n')}\n`);
  return { created: false, lines: entries(missing) };
}

/** Whether DIR's package.json (the nearest one above it) lists onramp as a dependency. */
async function listsOnramp(dir: string): Promise<boolean> {
  for (let d = dir; ; d = dirname(d)) {
    const text = await readFile(join(d, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
        return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => pkg[k]?.onramp !== undefined);
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
}
