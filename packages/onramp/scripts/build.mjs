// Compiles onramp's TypeScript for a fast start, into dist/:
//  - src/ and journeys/ file for file (imports rewritten from .ts to .js), with the files the code
//    reads beside itself: what journeys import, assets, migrations;
//  - the CLI bundled with its dependencies (dist/src/cli.bundle.js and its chunks, one per lazily
//    loaded command), so a cold `onramp run` resolves and links far fewer modules. Here tsx's
//    loader hooks cost about half of a cold start's module loading, and bundling took another 6 to
//    18 % off a cold run of the API journeys;
//  - what a cold start would otherwise compute every time: the config schema's validator as Ajv
//    standalone code (dist/src/config/config-validator.js, see src/config/validator.ts), and the
//    digest of the shipped contract folder once it has loaded with every check
//    (dist/src/contracts/verified.json, see src/contracts/verified.ts): at run time that folder's
//    schemas are compiled when first used, not all up front.
// `npm ci` runs it (prepare); bin/onramp.js uses dist/ only while it is newer than every source,
// and the sources through tsx otherwise, so an edit never runs stale code.
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { compileFileForFile, emitDeclarations } from '../../../scripts/compile.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// Built beside and swapped in at the end: a CLI started meanwhile finds the old dist/ or the new one.
const next = join(root, `dist.${process.pid}.tmp`);
const SOURCES = ['src', 'journeys'];
/**
 * Not bundled: the sandbox (a package of its own, loaded only when a run uses it), tools and the
 * browser driver loaded on demand, pino (its transports run files by path), and what the journeys
 * import themselves (onramp's public API, undici, jose), so the journeys and the CLI share one copy.
 */
const BUNDLE_EXTERNAL = ['@onramp/sandbox', 'onramp', 'onramp/*', 'playwright', 'playwright-core', '@playwright/test', 'esbuild', 'tsx', 'tsx/*', 'pino', 'pg-native', 'undici', 'jose'];

rmSync(next, { recursive: true, force: true });
const count = await compileFileForFile({ root, sources: SOURCES, outdir: next });
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
await precompile();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// The version for the compiled code's own `../package.json`; no name, so `import 'onramp'` from
// dist/journeys resolves through the real package.json's exports.
writeFileSync(join(next, 'package.json'), `${JSON.stringify({ version: pkg.version, type: 'module', private: true }, null, 2)}\n`);
// What the compiled code reads beside itself by relative path (dist/src/config/load.js finds
// ../../contracts): copied, so dist/ is whole in a checkout and in a tarball alike; an edit of them
// makes dist/ stale like a source's (scripts/rebuild-stale.mjs).
for (const d of ['contracts', 'templates']) cpSync(join(root, d), join(next, d), { recursive: true });
if (!process.argv.includes('--no-types')) emitDeclarations({ root, entries: ['src/index.ts', 'src/public/config.ts', 'journeys/lib/index.ts'], outdir: join(next, 'types') });
rmSync(join(next, 'tsconfig.types.json'), { force: true });
// Written last: bin/onramp.js trusts dist/ only when this is newer than every source.
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);
rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
console.log(`onramp: compiled ${count} files to dist/, and the CLI bundled`);

/**
 * What a cold start would otherwise compute each time, done here by dist/'s own file-for-file
 * modules (in `next`): the same options and checks as the CLI's.
 */
async function precompile() {
  const load = (file) => import(pathToFileURL(join(next, file)).href);
  const { configValidatorSource } = await load('src/config/precompile.js');
  const { PRECOMPILED_CONFIG_VALIDATOR } = await load('src/config/validator.js');
  await build({
    // Ajv's standalone code requires its runtime helpers from ajv: bundled in, one file to load.
    stdin: { contents: configValidatorSource(readFileSync(join(root, 'contracts/config.schema.json'), 'utf8')), resolveDir: root, sourcefile: PRECOMPILED_CONFIG_VALIDATOR, loader: 'js' },
    outfile: join(next, 'src/config', PRECOMPILED_CONFIG_VALIDATOR),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Generated code, never read: less to parse at every start.
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  const { ContractLoadError, loadContracts } = await load('src/contracts/index.js');
  const { VERIFIED_FILE } = await load('src/contracts/verified.js');
  try {
    // `verified: ''`: every check, whatever an older build said.
    const contracts = await loadContracts(join(root, 'contracts'), { verified: '' });
    writeFileSync(join(next, 'src/contracts', VERIFIED_FILE), `${JSON.stringify({ digest: contracts.digest })}\n`);
  } catch (err) {
    if (!(err instanceof ContractLoadError)) throw err;
    // Not a build error: at run time the folder is checked up front and its problems listed.
    console.error(`onramp: contracts/ not verified, so checked at every start: ${err.message}`);
  }
}
