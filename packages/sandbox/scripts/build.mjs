// Compiles @onramp/sandbox into dist/: src/ file for file (dist/ mirrors src/, so the realm file,
// migrations and assets resolve by the same relative paths), and the declarations of its entry.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFileForFile, emitDeclarations } from '../../../scripts/compile.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
// Built beside and swapped in at the end: a process started meanwhile finds the old dist/ or the new one.
const next = join(root, `dist.${process.pid}.tmp`);
rmSync(next, { recursive: true, force: true });
const count = await compileFileForFile({ root, sources: ['src'], outdir: next, outbase: 'src' });
if (!process.argv.includes('--no-types')) emitDeclarations({ root, entries: ['src/index.ts'], outdir: join(next, 'types') });
rmSync(join(next, 'tsconfig.types.json'), { force: true });
writeFileSync(join(next, '.built'), `${new Date().toISOString()}\n`);
rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
console.log(`@onramp/sandbox: compiled ${count} files to dist/`);
