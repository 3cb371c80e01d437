// What both packages' builds share: TypeScript compiled file for file by esbuild (imports rewritten
// from .ts to .js), the files the code reads beside itself copied along, and the public entry
// points' declarations from tsc. Repository tooling: not shipped in either package.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

export const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
export const isTs = (f) => f.endsWith('.ts') && !f.endsWith('.d.ts');

/** `sources` (folders under `root`) into `outdir`, one .js per .ts; other files copied (not .md). */
export async function compileFileForFile({ root, sources, outdir, outbase = '.' }) {
  const files = sources.flatMap((d) => walk(join(root, d)));
  await build({
    absWorkingDir: root,
    entryPoints: files.filter(isTs).map((f) => relative(root, f)),
    outdir,
    outbase,
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
  for (const f of files.filter((f) => !isTs(f) && !f.endsWith('.md'))) {
    const to = join(outdir, relative(join(root, outbase), f));
    mkdirSync(join(to, '..'), { recursive: true });
    cpSync(f, to);
  }
  return files.filter(isTs).length;
}

/**
 * Declarations of `entries` and what they reach, into `outdir`, by tsc. The sources import with
 * `.ts`; a published .d.ts must say `.js`, which is what a user's TypeScript resolves beside it.
 */
export function emitDeclarations({ root, entries, outdir }) {
  const config = join(outdir, '..', 'tsconfig.types.json');
  mkdirSync(join(outdir, '..'), { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      extends: relative(join(outdir, '..'), join(root, '..', '..', 'tsconfig.json')),
      compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: relative(join(outdir, '..'), outdir), rootDir: relative(join(outdir, '..'), root), skipLibCheck: true },
      files: entries.map((e) => relative(join(outdir, '..'), join(root, e))),
      include: [],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  for (const f of walk(outdir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(f, 'utf8');
    const fixed = text.replace(/(from |import\()(['"])(\.\.?\/[^'"]*)\.ts\2/g, '$1$2$3.js$2');
    if (fixed !== text) writeFileSync(f, fixed);
  }
}
