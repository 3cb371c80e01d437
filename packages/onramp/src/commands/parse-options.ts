// Command-line options parsed leniently, so every problem is collected and named at once (unknown
// options, missing values, stray arguments) instead of node:util's first error, and so a value
// that starts with a dash (`--retries -1`) reaches onramp's own validation.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = { [K in keyof O]?: O[K] extends { multiple: true } ? string[] : O[K] extends { type: 'boolean' } ? boolean : string };

export function parseOptions<O extends Options>(args: string[], options: O, o: { positionals?: boolean } = {}): { values: Values<O>; positionals: string[]; problems: string[] } {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const positionals: string[] = [];
  const known = Object.keys(options).map((k) => `--${k}`).join(', ');
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (o.positionals) positionals.push(t.value);
      else problems.push(`unexpected argument "${t.value}"`);
    }
    if (t.kind !== 'option') continue;
    const spec = options[t.name];
    if (!spec) {
      problems.push(`${t.rawName}: unknown option (known: ${known})`);
      continue;
    }
    if (spec.type === 'boolean') {
      if (t.value !== undefined) problems.push(`${t.rawName}: takes no value`);
      values[t.name] = true;
      continue;
    }
    if (t.value === undefined) {
      problems.push(`${t.rawName}: needs a value`);
      continue;
    }
    if (spec.multiple) ((values[t.name] ??= []) as string[]).push(t.value);
    else values[t.name] = t.value;
  }
  return { values: values as Values<O>, positionals, problems };
}

/** A whole number within bounds from an option, or a problem naming the option. */
export function wholeNumber(option: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`--${option}: expected a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}
