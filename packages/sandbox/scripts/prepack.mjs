// npm runs this before `npm pack` and `npm publish` (prepack): a full build (JavaScript and
// declarations: a tarball never ships a stale dist/) and the repository's LICENSE copied here
// (git-ignored; the package's `files` ship it). The sandbox keeps its own README.md.
import { fileURLToPath } from 'node:url';
import { prepack } from '../../../scripts/pack.mjs';

prepack({ root: fileURLToPath(new URL('..', import.meta.url)), fromRepo: ['LICENSE'] });
