import type { SandboxOption } from './provider-types.ts';

/** A start failure caused by one option's value; onramp's CLI names its flag. */
export class SandboxOptionError extends Error {
  constructor(
    readonly option: SandboxOption,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxOptionError';
  }
}
