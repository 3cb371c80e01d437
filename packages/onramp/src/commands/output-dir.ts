// The report folder is made, and proven writable, before anything runs: a run must not work for
// minutes and then fail to write its reports. Made one level at a time, because Node's recursive
// mkdir never returns for some paths (`/proc/x`).
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** What is at `path`: a folder, a file, nothing, or the error code that says why we cannot tell. */
export const kindOf = (path: string): Promise<string> => stat(path).then((s) => (s.isDirectory() ? 'dir' : 'file'), (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'none' : (err.code ?? 'error')));

/** Proves `dir` takes a new file (writes one and removes it); throws the system's error if not. */
export async function probeWrite(dir: string): Promise<void> {
  const probe = join(dir, `.onramp-write-test-${process.pid}`);
  await writeFile(probe, '');
  await unlink(probe);
}

/** Creates `dir`; returns why it cannot be used, naming the path and the system's reason. */
export async function prepareOutputDir(dir: string): Promise<string | undefined> {
  const target = resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const kind = await kindOf(existing);
    if (kind === 'dir') break;
    if (kind === 'file') return `cannot create "${target}": ${existing} is a file, not a folder`;
    if (kind === 'ENOTDIR') return `cannot create "${target}": a path above it is a file, not a folder (ENOTDIR)`;
    if (kind !== 'none') return `cannot create "${target}": ${existing} is not usable (${kind})`;
    missing.unshift(existing);
    if (dirname(existing) === existing) break;
    existing = dirname(existing);
  }
  try {
    for (const d of missing) await mkdir(d).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
    await probeWrite(target);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot create "${target}" (${e.code ?? 'error'}: ${e.message.replace(/^\w+: /, '')})`;
  }
}

/**
 * The report folder `--output` names, else the config's defaults.output, else onramp-results:
 * resolved, made and checked; a problem names where the folder came from and its path. An empty
 * option would resolve to the working directory.
 */
export async function outputDirOption(option: string | undefined, config: { file: string; defaults: { output?: string } } | undefined, problems: string[]): Promise<string> {
  const at = option === undefined && config?.defaults.output ? `defaults.output (${config.file})` : '--output';
  if (option !== undefined && !option.trim()) {
    problems.push(`--output: expected a folder, got an empty string`);
    return resolve('onramp-results');
  }
  const dir = resolve(option ?? config?.defaults.output ?? 'onramp-results');
  const problem = await prepareOutputDir(dir);
  if (problem) problems.push(`${at}: ${problem}`);
  return dir;
}
