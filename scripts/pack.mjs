// What both packages' prepack scripts share (npm runs prepack before `npm pack` and `npm publish`):
// a full build (JavaScript and declarations), so a tarball never ships a stale dist/; the files a
// package ships from the repository's root (README.md, LICENSE) copied beside its package.json;
// and dist/ without symbolic links, which npm leaves out of a tarball. Repository tooling: not
// shipped in either package.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(import.meta.dirname, '..');

/** Messages on stderr: `npm pack --json` answers on stdout, and lifecycle scripts' stdout lands there too. */
export const say = (text) => process.stderr.write(`${text}\n`);

/** The package's `scripts/build.mjs` in full (with declarations), its output on stderr. */
export function build(root) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: ['ignore', 2, 'inherit'] });
}

/**
 * Before the tarball: the build; `fromRepo` (files at the repository's root) copied into the
 * package; every symbolic link directly under dist/ replaced by a copy of what it points at (the
 * compiled code reads through them: dist/src/config/load.js finds ../../contracts). Answers the
 * names of the links replaced: a checkout wants them back after the pack (a rebuild makes them).
 */
export function prepack({ root, fromRepo }) {
  const started = Date.now();
  build(root);
  for (const f of fromRepo) cpSync(join(REPO, f), join(root, f));
  const dist = join(root, 'dist');
  const links = readdirSync(dist, { withFileTypes: true }).filter((e) => e.isSymbolicLink()).map((e) => e.name);
  for (const name of links) {
    const link = join(dist, name);
    // Copied beside, then swapped in: a CLI started meanwhile misses the folder only between the two steps.
    const next = `${link}.${process.pid}.tmp`;
    cpSync(realpathSync(link), next, { recursive: true });
    rmSync(link);
    renameSync(next, link);
  }
  const copied = links.length ? `; dist/${links.join(', dist/')} copied in place of links` : '';
  say(`prepack ${relative(REPO, root)}: built with declarations, ${fromRepo.join(' and ')} copied from the repository${copied} (${Date.now() - started} ms)`);
  return links;
}
