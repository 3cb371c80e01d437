// What every command module exports: its name, help and run; src/cli.ts dispatches to it.
export interface Command {
  /** One or more words: `run`, `sandbox idp`. */
  name: string;
  summary: string;
  /** The synopsis after `onramp <name>`. */
  usage: string;
  /** Options with defaults and examples for `--help`; without it, --help shows usage and summary. */
  help?: CommandHelp;
  run(args: string[]): Promise<number>;
}

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
