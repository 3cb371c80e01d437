// Reads one JSON file of a contract folder; a missing or unparsable file becomes a problem.
import { readFile } from 'node:fs/promises';
import type { ContractProblem } from './types.ts';

export async function readJsonFile(path: string, file: string, problems: ContractProblem[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push({ file, message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    problems.push({ file, message: `invalid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
