// A contract folder is checked as a whole: every problem is collected and named by its file, so a
// user fixing their own contracts sees the full list at once, not one error per run.
import type { ContractProblem } from './types.ts';

export const formatProblem = (p: ContractProblem): string => `${p.file}${p.where ? ` (${p.where})` : ''}: ${p.message}`;

export class ContractLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: ContractProblem[],
  ) {
    super(`contract folder ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ContractLoadError';
  }
}
