// npm runs this before `npm pack` and `npm publish` (prepack): a full build (JavaScript and
// declarations: a tarball never ships a stale dist/) and the repository's README.md and LICENSE
// copied here (the package's `files` ship them; both copies are git-ignored).
import { fileURLToPath } from 'node:url';
import { prepack } from '../../../scripts/pack.mjs';

prepack({ root: fileURLToPath(new URL('..', import.meta.url)), fromRepo: ['README.md', 'LICENSE'] });
