// `onramp <command> --help`: usage, summary, every option with its default, and examples, from the
// command's own description (Command.help), so the text and the options cannot drift apart silently.
import type { Command, OptionHelp } from './command.ts';

export type { CommandHelp, OptionHelp } from './command.ts';

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
