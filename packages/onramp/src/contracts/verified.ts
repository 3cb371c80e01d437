// A contract folder the build has already checked: scripts/build.mjs loads the folder shipped with
// onramp (contracts/) with every check, and writes the digest of its files' names and texts into
// dist/src/contracts/verified.json. A folder read with that digest at run time (the same files,
// byte for byte) is known to load without problems, so its schemas are neither checked against the
// meta-schema nor compiled up front, but each when a body first needs it: compiling them all took
// about a fifth of a cold `onramp run`'s way to its first request. Any other folder (a user's own,
// or contracts/ edited in a checkout) is checked and compiled up front, its problems all listed.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReadText } from './read-json.ts';

export const VERIFIED_FILE = 'verified.json';

/**
 * The digest of a folder's files (the schema files in name order, then openapi.json): undefined
 * when one could not be read, since such a folder has problems to report anyway.
 */
export function contractsDigest(files: ReadText[]): string | undefined {
  const hash = createHash('sha256');
  for (const f of files) {
    if ('problem' in f) return undefined;
    hash.update(`${f.file}\0${f.text.length}\0${f.text}\0`);
  }
  return hash.digest('hex');
}

/** The digest the build verified, beside this module in dist/; undefined beside the sources. */
export async function verifiedDigest(): Promise<string | undefined> {
  try {
    const { digest } = JSON.parse(await readFile(new URL(`./${VERIFIED_FILE}`, import.meta.url), 'utf8')) as { digest?: unknown };
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}
