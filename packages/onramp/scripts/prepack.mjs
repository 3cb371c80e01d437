// npm runs this before `npm pack` and `npm publish` (prepack), and with --postpack after them.
// Before: a full build (JavaScript and declarations: a tarball never ships a stale dist/), the
// repository's README.md and LICENSE copied here (the package's `files` ship them; both copies
// are git-ignored), and dist/'s links to contracts/ and deploy/ replaced by copies (npm leaves
// links out of a tarball, and the installed CLI reads dist/contracts).
// After: the build again, which puts the links back, so in a checkout an edit of contracts/ applies
// without a rebuild.
import { fileURLToPath } from 'node:url';
import { build, prepack, say } from '../../../scripts/pack.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.argv.includes('--postpack')) {
  build(root);
  say('postpack onramp: dist/ rebuilt with its links');
} else {
  prepack({ root, fromRepo: ['README.md', 'LICENSE'] });
}
