// Reading and writing the zips Playwright writes (traces, the HTML report's embedded data), through
// fflate: whole archives in memory, which is all a trace rewrite needs.
import { unzipSync, zipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function readZip(zip: Buffer): ZipEntry[] {
  return Object.entries(unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength))).map(([name, data]) => ({ name, data: Buffer.from(data) }));
}

export function writeZip(entries: ZipEntry[]): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(entries.map((e) => [e.name, new Uint8Array(e.data)])), { level: 6 }));
}
