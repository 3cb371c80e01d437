// The fidelity figure: of the recordings a conformance suite replays, how many the sandbox matches,
// and the known differences that remain, each with its reason. A scenario marked `known` is still
// replayed and must still differ (so a fix shows up as a failing pin to remove), and one that is
// not replayed at all is listed with its reason: nothing is skipped silently.

export interface Outcome {
  file: string;
  problems: string[];
  known?: string;
}

export class FidelityLog {
  private readonly outcomes: Outcome[] = [];

  constructor(
    private readonly suite: string,
    private readonly notReplayed: Record<string, string>,
  ) {}

  record(outcome: Outcome): void {
    this.outcomes.push(outcome);
  }

  summary(): string {
    const matched = this.outcomes.filter((o) => o.problems.length === 0);
    const lines = [`${this.suite}: matched ${matched.length} of ${this.outcomes.length} recordings replayed`];
    for (const o of this.outcomes.filter((x) => x.problems.length > 0).sort((a, b) => a.file.localeCompare(b.file))) {
      lines.push(`  differs  ${o.file}: ${o.known ?? 'UNEXPECTED'} [${o.problems.join(' | ')}]`);
    }
    for (const [file, reason] of Object.entries(this.notReplayed)) lines.push(`  not replayed  ${file}: ${reason}`);
    return lines.join('\n');
  }
}
