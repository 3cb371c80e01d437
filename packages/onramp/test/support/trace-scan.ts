// Looking for secrets in trace zips the way someone who got hold of one would: every entry, as
// text, for every spelling a value takes on the way into a trace. Written apart from the product's
// redaction so the scan does not share its blind spots.
import { readFile } from 'node:fs/promises';
import { readZip } from '../../src/engine/browser/zip.ts';

export interface SecretValue {
  /** What it is, for the failure message (never the value). */
  what: string;
  value: string;
  /** The user name of a password, for its HTTP Basic spelling. */
  user?: string;
}

/** Raw, URL-encoded, form-encoded, JSON-escaped, HTML-escaped, base64 (both alphabets), HTTP Basic. */
export function spellingsOf(s: SecretValue): [string, string][] {
  const b64 = Buffer.from(s.value, 'utf8').toString('base64');
  return [
    ['raw', s.value],
    ['url-encoded', encodeURIComponent(s.value)],
    ['form-encoded', new URLSearchParams({ v: s.value }).toString().slice(2)],
    ['json-escaped', JSON.stringify(s.value).slice(1, -1)],
    ['html-escaped', s.value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')],
    ['base64', b64.replace(/=+$/, '')],
    ['base64url', Buffer.from(s.value, 'utf8').toString('base64url')],
    ['basic-auth', Buffer.from(`${s.user ?? 'user'}:${s.value}`, 'utf8').toString('base64').replace(/=+$/, '')],
  ];
}

export interface TraceScan {
  zips: number;
  entries: number;
  /** Network log entries seen (resource-snapshot lines). */
  networkEntries: number;
  /** `zip > entry: what (spelling)` for every hit. */
  hits: string[];
}

export async function scanTraces(files: string[], secrets: SecretValue[]): Promise<TraceScan> {
  const scan: TraceScan = { zips: 0, entries: 0, networkEntries: 0, hits: [] };
  const needles = secrets.flatMap((s) => spellingsOf(s).map(([how, v]) => ({ label: `${s.what} (${how})`, v })));
  for (const file of files) {
    scan.zips++;
    for (const e of readZip(await readFile(file))) {
      scan.entries++;
      const text = e.data.toString('latin1');
      if (e.name.endsWith('.network')) scan.networkEntries += text.split('\n').filter((l) => l.includes('"resource-snapshot"')).length;
      for (const n of needles) if (text.includes(n.v)) scan.hits.push(`${file.split('/').pop()} > ${e.name}: ${n.label}`);
    }
  }
  return scan;
}
