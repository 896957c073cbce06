import type { CommandSpec } from './command-spec.ts';
import { GLOBAL_OPTIONS, OPTION_TABLE, type OptionDefinition, type OptionName } from './option-table.ts';
import { commandName } from './parse-command-line.ts';

/** `turnpike --help`: every command with its one-line summary. */
export function globalHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((command) => commandName(command).length));
  const lines = [
    'turnpike: manage a Turnpike gateway through its admin API.',
    '',
    'Usage: turnpike <resource> <action> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${commandName(command).padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Against the local server the admin token comes from $TURNPIKE_ADMIN_TOKEN (or --token).',
    'Against a Lambda function URL (https://<id>.lambda-url.<region>.on.aws) requests are signed',
    'with SigV4 using the standard AWS credential chain (environment, profile/SSO, instance role).',
    'Exit codes: 0 done, 1 the API or the network refused, 2 the command line is wrong.',
    'Run "turnpike <resource> <action> --help" for the options of one command.',
  ];
  return `${lines.join('\n')}\n`;
}

/** `turnpike keys --help`: the actions of one resource. */
export function resourceHelp(commands: readonly CommandSpec[], resource: string): string {
  const actions = commands.filter((command) => command.resource === resource);
  const width = Math.max(...actions.map((command) => commandName(command).length));
  const lines = [
    `Usage: turnpike ${resource} <action> [arguments] [options]`,
    '',
    ...actions.map((command) => `  ${commandName(command).padEnd(width)}  ${command.summary}`),
    '',
    `Run "turnpike ${resource} <action> --help" for the options of one action.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `turnpike keys create --help`: usage line, options, notes. */
export function commandHelp(command: CommandSpec): string {
  const required = command.required ?? [];
  const usage = [
    `turnpike ${commandName(command)}`,
    ...command.arguments,
    ...required.map((name) => optionSignature(name)),
    ...(command.options.some((name) => !required.includes(name)) ? ['[options]'] : []),
  ].join(' ');
  const optional = command.options.filter((name) => !required.includes(name));
  const lines = [`${command.summary}.`, '', `Usage: ${usage}`];
  if (required.length > 0) lines.push('', 'Required:', ...optionLines(required));
  if (optional.length > 0) lines.push('', 'Options:', ...optionLines(optional));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.notes !== undefined) lines.push('', ...command.notes);
  return `${lines.join('\n')}\n`;
}

function optionSignature(name: OptionName): string {
  const definition: OptionDefinition = OPTION_TABLE[name];
  return definition.placeholder === undefined ? `--${name}` : `--${name} ${definition.placeholder}`;
}

function optionLines(names: readonly OptionName[]): string[] {
  const signatures = names.map((name) => {
    const definition: OptionDefinition = OPTION_TABLE[name];
    const short = definition.short === undefined ? '' : `, -${definition.short}`;
    return `${optionSignature(name)}${short}`;
  });
  const width = Math.max(...signatures.map((signature) => signature.length));
  return names.map((name, index) => {
    const definition: OptionDefinition = OPTION_TABLE[name];
    const repeat = definition.multiple === true ? ' (repeatable)' : '';
    return `  ${(signatures[index] ?? '').padEnd(width)}  ${definition.description}${repeat}`;
  });
}
