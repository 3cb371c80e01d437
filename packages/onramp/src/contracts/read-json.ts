// Reads the JSON files of a contract folder; a missing or unparsable file becomes a problem. Reading
// and parsing are apart: a folder's files are read at once, and their problems still listed in order.
import { readFile } from 'node:fs/promises';
import type { ContractProblem } from './types.ts';

/** A file's text, or the problem of reading it. */
export type ReadText = { file: string; text: string } | { file: string; problem: ContractProblem };

export async function readText(path: string, file: string): Promise<ReadText> {
  try {
    return { file, text: await readFile(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { file, problem: { file, message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` } };
  }
}

/** The parsed value; undefined with a problem when the file could not be read or does not parse. */
export function parseJson(read: ReadText, problems: ContractProblem[]): unknown {
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  try {
    return JSON.parse(read.text);
  } catch (err) {
    problems.push({ file: read.file, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
