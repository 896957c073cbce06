import type { AdminClient } from './admin-client.ts';
import type { OptionName } from './option-table.ts';
import type { OptionValues } from './option-values.ts';
import type { Output } from './output.ts';

/** Where a command reads its secret input and the environment; swapped in tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdinIsTerminal: boolean;
  /** The whole of standard input, as text. */
  readStdin(): Promise<string>;
  writeStdout(text: string): void;
  writeStderr(text: string): void;
}

export interface CommandContext {
  /** Positional arguments after `<resource> <action>`, already checked against `arguments`. */
  args: string[];
  values: OptionValues;
  client: AdminClient;
  output: Output;
  io: CliIo;
}

/** One `turnpike <resource> <action>` command. */
export interface CommandSpec {
  resource: string;
  /** '' for a resource that is a command by itself (`turnpike logs`). */
  action: string;
  summary: string;
  /** Required positional arguments, by their help name (`ID`). */
  arguments: readonly string[];
  /** Options the command accepts besides the global ones. */
  options: readonly OptionName[];
  /** Options without which the command cannot run. */
  required?: readonly OptionName[];
  /** Extra help lines (examples, warnings). */
  notes?: readonly string[];
  run(context: CommandContext): Promise<void>;
}
