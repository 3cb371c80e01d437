// Compiles onramp's TypeScript for a fast start, into dist/:
//  - src/ and journeys/ file for file (imports rewritten from .ts to .js), with the files the code
//    reads beside itself: what journeys import, assets, migrations;
//  - the CLI bundled with its dependencies (dist/src/cli.bundle.js and its chunks, one per lazily
//    loaded command), so a cold `onramp run` resolves and links far fewer modules. Here tsx's
//    loader hooks cost about half of a cold start's module loading, and bundling took another 6 to
//    18 % off a cold run of the API journeys.
// `npm ci` runs it (prepare); bin/onramp.js uses dist/ only while it is newer than every source,
// and the sources through tsx otherwise, so an edit never runs stale code.
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// Built beside and swapped in at the end: a CLI started meanwhile finds the old dist/ or the new one.
const next = join(root, `dist.${process.pid}.tmp`);
const SOURCES = ['src', 'journeys'];
/**
 * Not bundled: WebAssembly and native code found by path (PGlite, argon2), tools and the browser
 * driver loaded on demand, pino (its transports run files by path), and what the journeys import
 * themselves (undici, jose), so the journeys and the CLI share one copy.
 */
const BUNDLE_EXTERNAL = ['@electric-sql/pglite', '@electric-sql/pglite-socket', '@node-rs/argon2', 'playwright', 'playwright-core', '@playwright/test', 'esbuild', 'tsx', 'tsx/*', 'pino', 'pg-native', 'undici', 'jose'];

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const files = SOURCES.flatMap((d) => walk(join(root, d)));
const isTs = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');

rmSync(next, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: files.filter(isTs).map((f) => relative(root, f)),
  outdir: next,
  outbase: '.',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundling only to rewrite imports: every import stays external, `./x.ts` becomes `./x.js`.
  bundle: true,
  plugins: [
    {
      name: 'file-for-file',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined;
          const relativeTs = /^\.\.?\//.test(args.path) && args.path.endsWith('.ts');
          return { path: relativeTs ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
        });
      },
    },
  ],
  logLevel: 'warning',
});
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir: join(next, 'src'),
  entryNames: '[name].bundle',
  // Beside the entry: each chunk finds the files it reads by the same relative paths (below).
  chunkNames: 'cli.chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: BUNDLE_EXTERNAL,
  // Bundled CommonJS packages require Node's built-ins.
  banner: { js: "import { createRequire as __onrampRequire } from 'node:module'; const require = __onrampRequire(import.meta.url);" },
  plugins: [
    {
      // A module's import.meta.url locates its assets, migrations and the repository's folders; in
      // the bundle it would be the bundle's own, so each source module gets its file's place in dist/.
      name: 'module-url',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, (args) => {
          const inSrc = relative(join(root, 'src'), args.path);
          if (inSrc.startsWith('..')) return undefined;
          const text = readFileSync(args.path, 'utf8');
          const own = JSON.stringify(`./${inSrc.replace(/\.ts$/, '.js')}`);
          return { contents: text.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`), loader: 'ts' };
        });
      },
    },
  ],
  logLevel: 'warning',
});
// What the code reads beside itself: assets and migrations, package.json (version, "type"), and
// the contracts and realm files it finds by relative path from the repository root.
for (const f of files.filter((f) => !isTs(f) && !f.endsWith('.md'))) {
  const to = join(next, relative(root, f));
  mkdirSync(join(to, '..'), { recursive: true });
  cpSync(f, to);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(next, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true }, null, 2)}\n`);
for (const d of ['contracts', 'deploy']) {
  try {
    symlinkSync(join('..', d), join(next, d), 'junction');
  } catch {
    // Where links cannot be made (Windows without the right), a copy does the same job.
    cpSync(join(root, d), join(next, d), { recursive: true });
  }
}
// Written last: bin/onramp.js trusts dist/ only when this is newer than every source.
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);
rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
console.log(`onramp: compiled ${files.filter(isTs).length} files to dist/, and the CLI bundled`);
