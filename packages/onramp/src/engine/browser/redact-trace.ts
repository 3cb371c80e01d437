// Secrets out of a Playwright trace: typed passwords sit in its action log, form posts and token
// answers in its network log and resources, shown secrets in its DOM snapshots. The trace is a
// zip; every entry is read back, each secret replaced (as typed, URL-encoded, JSON-escaped) and
// the zip written again.
import { readFile, writeFile } from 'node:fs/promises';
import { readZip, writeZip } from './zip.ts';

const REDACTED = '[REDACTED]';

/** Every spelling of a secret that can land in a trace. */
function spellings(secret: string): string[] {
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  return [...new Set([secret, encodeURIComponent(secret), form, JSON.stringify(secret).slice(1, -1)])].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets.filter((x) => x.length >= 4)) for (const v of spellings(s)) out = out.split(v).join(REDACTED);
  return out;
}

/** Rewrites the trace at `file` without any spelling of `secrets` in its text entries. */
export async function redactTrace(file: string, secrets: string[]): Promise<void> {
  const entries = readZip(await readFile(file));
  let changed = false;
  const out = entries.map((e) => {
    // Images and other binary resources stay as they are; text is what carries typed values.
    if (e.data.includes(0)) return e;
    const text = e.data.toString('utf8');
    const clean = redactText(text, secrets);
    if (clean === text) return e;
    changed = true;
    return { name: e.name, data: Buffer.from(clean, 'utf8') };
  });
  if (changed) await writeFile(file, writeZip(out));
}
