// A secret value: it prints as "[redacted]" in strings, JSON, util.inspect and logs, and gives its
// value only to code that asks for it with reveal().
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;
  constructor(value: string, readonly source = 'value') {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export const secret = (value: string, source?: string) => new Secret(value, source);

/** Replaces every occurrence of the given secrets' values in a text (for error messages from libraries). */
export function redact(text: string, secrets: Iterable<Secret | string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    const v = typeof s === 'string' ? s : s?.reveal();
    if (v && v.length >= 4) out = out.split(v).join(REDACTED);
  }
  return out;
}
