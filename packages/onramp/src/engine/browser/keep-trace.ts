// Playwright writes a trace chunk only to a file. It goes to a folder private to this process (mode
// 0700 under the system temp folder), is read back and redacted, and only the redacted zip is
// written where a user or the monitor reads artifacts. The raw file is removed at once, whatever
// happened, and the folder when the process exits (a cancelled run included). A trace that cannot
// be redacted is not kept.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright';
import { redactTrace } from './redact-trace.ts';

let rawDir: Promise<string> | undefined;

function privateDir(): Promise<string> {
  rawDir ??= mkdtemp(join(tmpdir(), 'onramp-raw-trace-')).then((dir) => {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  return rawDir;
}

/** Ends the context's trace chunk and writes it, redacted, to `file`; false when there was no trace to save. */
export async function keepTrace(context: BrowserContext, file: string, secrets: Iterable<string>): Promise<boolean> {
  const raw = join(await privateDir(), `${randomUUID()}.zip`);
  try {
    await context.tracing.stopChunk({ path: raw });
    await writeFile(file, redactTrace(await readFile(raw), secrets));
    return true;
  } catch {
    return false;
  } finally {
    await rm(raw, { force: true });
  }
}
