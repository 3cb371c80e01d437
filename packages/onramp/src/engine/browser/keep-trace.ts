// Playwright writes a trace chunk only to a file. It goes to a folder of its own (mode 0700 under
// the system temp folder), is read back and redacted, and only the redacted zip is written where a
// user or the monitor reads artifacts. The folder is removed at once, whatever happened (a save
// cut short by a cancel included). A trace that cannot be redacted is not kept.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright';
import { redactTrace } from './redact-trace.ts';

/** Ends the context's trace chunk and writes it, redacted, to `file`; false when there was no trace to save. */
export async function keepTrace(context: BrowserContext, file: string, secrets: Iterable<string>): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'onramp-raw-trace-'));
  try {
    const raw = join(dir, 'trace.zip');
    await context.tracing.stopChunk({ path: raw });
    await writeFile(file, redactTrace(await readFile(raw), secrets));
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
