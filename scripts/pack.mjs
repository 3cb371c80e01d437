// What both packages' prepack scripts share (npm runs prepack before `npm pack` and `npm publish`):
// a full build (JavaScript and declarations), so a tarball never ships a stale dist/, and the files
// a package ships from the repository's root (README.md, LICENSE) copied beside its package.json.
// Repository tooling: not shipped in either package.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(import.meta.dirname, '..');

/** Messages on stderr: `npm pack --json` answers on stdout, and lifecycle scripts' stdout lands there too. */
const say = (text) => process.stderr.write(`${text}\n`);

/** The package's `scripts/build.mjs` in full (with declarations), its output on stderr. */
function build(root) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: ['ignore', 2, 'inherit'] });
}

/** Before the tarball: the build, and `fromRepo` (files at the repository's root) copied into the package. */
export function prepack({ root, fromRepo }) {
  const started = Date.now();
  build(root);
  for (const f of fromRepo) cpSync(join(REPO, f), join(root, f));
  say(`prepack ${relative(REPO, root)}: built with declarations, ${fromRepo.join(' and ')} copied from the repository (${Date.now() - started} ms)`);
}
