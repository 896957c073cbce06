import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.ts';
import type { CommandSpec } from './command-spec.ts';
import { GLOBAL_OPTIONS, OPTION_TABLE, type OptionName } from './option-table.ts';
import type { OptionValues } from './option-values.ts';

export type ParsedCommandLine =
  | { kind: 'run'; command: CommandSpec; args: string[]; values: OptionValues }
  /** Help was asked for: `resource` and `action` narrow it down when given and known. */
  | { kind: 'help'; resource?: string; command?: CommandSpec };

const PARSE_OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  Object.entries(OPTION_TABLE).map(([name, definition]) => [
    name,
    {
      type: definition.type,
      ...('multiple' in definition ? { multiple: definition.multiple } : {}),
      ...('short' in definition ? { short: definition.short } : {}),
    },
  ]),
);

/**
 * Split `argv` into a command, its positional arguments and its options. Options may come
 * anywhere (`turnpike --json keys list` and `turnpike keys list --json` are the same); each
 * command accepts only the global options and its own. Throws UsageError with a one-line reason.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandSpec[]): ParsedCommandLine {
  const { values, positionals } = parseOrExplain(argv);
  const wantsHelp = values.help === true;
  const [resource, action, ...args] = positionals;
  if (resource === 'help') {
    return helpFor(commands, action, args[0]);
  }
  if (resource === undefined) {
    if (wantsHelp) return { kind: 'help' };
    throw new UsageError('no command given; run "turnpike --help" to see the commands');
  }
  const actions = commands.filter((command) => command.resource === resource);
  if (actions.length === 0) {
    throw new UsageError(`unknown command "${resource}"; run "turnpike --help" to see the commands`);
  }
  // A resource that is a command by itself (`turnpike logs`): every later word is an argument.
  const standalone = actions.find((candidate) => candidate.action === '');
  if (standalone !== undefined) {
    if (wantsHelp) return { kind: 'help', resource, command: standalone };
    return checkedRun(standalone, positionals.slice(1), values);
  }
  if (action === undefined) {
    if (wantsHelp) return { kind: 'help', resource };
    throw new UsageError(`"${resource}" needs an action: ${actions.map((command) => command.action).join(', ')}`);
  }
  const command = actions.find((candidate) => candidate.action === action);
  if (command === undefined) {
    throw new UsageError(
      `unknown action "${resource} ${action}"; the actions are ${actions.map((candidate) => candidate.action).join(', ')}`,
    );
  }
  if (wantsHelp) return { kind: 'help', resource, command };
  return checkedRun(command, args, values);
}

function checkedRun(command: CommandSpec, args: string[], values: OptionValues): ParsedCommandLine {
  checkOptionsBelongTo(command, values);
  if (args.length < command.arguments.length) {
    throw new UsageError(`${commandName(command)} needs ${command.arguments.slice(args.length).join(' ')}`);
  }
  if (args.length > command.arguments.length) {
    throw new UsageError(`${commandName(command)}: unexpected argument "${args[command.arguments.length]}"`);
  }
  for (const name of command.required ?? []) {
    if (values[name] === undefined) throw new UsageError(`${commandName(command)} needs --${name}`);
  }
  return { kind: 'run', command, args, values };
}

/** `keys create`, as written on the command line. */
export function commandName(command: CommandSpec): string {
  return command.action === '' ? command.resource : `${command.resource} ${command.action}`;
}

function parseOrExplain(argv: readonly string[]): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: PARSE_OPTIONS,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (error) {
    throw new UsageError(explainParseError(error));
  }
}

/** node:util's messages run to several sentences; the CLI promises one short line. */
function explainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    if (option === '--secret' || option.startsWith('--secret=')) {
      return '--secret is not accepted: a secret on the command line lands in shell history; use --secret-stdin or --secret-env VAR';
    }
    return `unknown option ${option}; run "turnpike --help" to see the options`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return message.includes('does not take an argument')
      ? `${option} does not take a value`
      : `${option} needs a value`;
  }
  return message.split(/(?<=\.)\s/)[0] ?? message;
}

function checkOptionsBelongTo(command: CommandSpec, values: OptionValues): void {
  const allowed = new Set<string>([...GLOBAL_OPTIONS, ...command.options]);
  for (const name of Object.keys(values)) {
    if (!allowed.has(name)) throw new UsageError(`${commandName(command)} does not take --${name}`);
  }
}

function helpFor(commands: readonly CommandSpec[], resource: string | undefined, action: string | undefined): ParsedCommandLine {
  if (resource === undefined) return { kind: 'help' };
  if (!commands.some((command) => command.resource === resource)) {
    throw new UsageError(`unknown command "${resource}"; run "turnpike --help" to see the commands`);
  }
  if (action === undefined) return { kind: 'help', resource };
  const command = commands.find((candidate) => candidate.resource === resource && candidate.action === action);
  if (command === undefined) throw new UsageError(`unknown action "${resource} ${action}"`);
  return { kind: 'help', resource, command };
}

/** The option names a command accepts, globals last, for help output. */
export function optionsOf(command: CommandSpec): OptionName[] {
  return [...command.options, ...GLOBAL_OPTIONS];
}
