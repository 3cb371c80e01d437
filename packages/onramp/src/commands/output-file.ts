// A file a command will write (`onramp sandbox --write-config FILE`, with FILE.secrets/ beside it)
// is checked before anything starts: a sandbox must not boot, listen and then fail to write its
// config. Nothing is created here; a missing parent folder is named rather than made, since a
// mistyped folder is more likely than a wanted one.
import { access, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { kindOf, probeWrite } from './output-dir.ts';

/** Why `file` (and, with `siblingDir`, the folder FILE + siblingDir) cannot be written; undefined when it can. */
export async function outputFileProblem(file: string, siblingDir?: string): Promise<string | undefined> {
  if (!file.trim()) return 'expected a file path, got an empty string';
  const path = resolve(file);
  const parent = dirname(path);
  const [own, up] = await Promise.all([kindOf(path), kindOf(parent)]);
  if (own === 'dir') return `${path} is a folder, not a file`;
  if (up === 'none') return `cannot write ${path}: its folder ${parent} does not exist`;
  if (up === 'file' || up === 'ENOTDIR') return `cannot write ${path}: ${up === 'file' ? parent : 'a path above it'} is a file, not a folder`;
  if (up !== 'dir') return `cannot write ${path}: its folder ${parent} is not usable (${up})`;
  if (siblingDir && (await kindOf(path + siblingDir)) === 'file') return `cannot write ${path}${siblingDir}/: ${path}${siblingDir} is a file, not a folder`;
  try {
    // The folder must take a new file (the secrets folder is made there), an existing file a rewrite.
    await probeWrite(parent);
    if (own === 'file') await access(path, constants.W_OK);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot write ${path} (${e.code ?? 'error'}: ${e.message.replace(/^\w+: /, '')})`;
  }
}
