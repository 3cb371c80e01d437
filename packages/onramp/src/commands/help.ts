// `onramp <command> --help`: usage, summary, every option with its default, and examples, from the
// command's own description (Command.help), so the text and the options cannot drift apart silently.
import type { Command } from '../cli.ts';

export interface OptionHelp {
  /** As typed, with its value placeholder: `--port-base N`, `--fault NAME`. */
  flag: string;
  description: string;
  /** What applies when the option is not given, in words: `free ports`, `6h`, `off`. */
  default?: string;
  /** May be given more than once. */
  repeatable?: boolean;
}

export interface CommandHelp {
  options: OptionHelp[];
  /** Whole command lines, each with what it does. */
  examples: { command: string; description: string }[];
  /** Paragraphs after the options: environment variables, exit codes, files. */
  notes?: string[];
}

const HELP_OPTION: OptionHelp = { flag: '-h, --help', description: 'show this help' };

export function commandHelp(command: Command): string {
  const lines = [`Usage: onramp ${command.name} ${command.usage}`, '', command.summary];
  if (!command.help) return lines.join('\n');
  const options = [...command.help.options, HELP_OPTION];
  const width = Math.max(...options.map((o) => o.flag.length));
  lines.push('', 'Options:');
  for (const o of options) {
    const extras = [o.repeatable ? 'repeatable' : undefined, o.default !== undefined ? `default: ${o.default}` : undefined].filter(Boolean);
    lines.push(`  ${o.flag.padEnd(width)}  ${o.description}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  }
  if (command.help.examples.length) {
    lines.push('', 'Examples:');
    for (const e of command.help.examples) lines.push(`  ${e.command}`, `      ${e.description}`);
  }
  for (const note of command.help.notes ?? []) lines.push('', note);
  return lines.join('\n');
}
