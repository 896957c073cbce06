import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/cli-error.ts';
import { ALL_COMMANDS } from '../../cli/commands/all-commands.ts';
import { parseCommandLine, type ParsedCommandLine } from '../../cli/parse-command-line.ts';

const parse = (...argv: string[]): ParsedCommandLine => parseCommandLine(argv, ALL_COMMANDS);

function usageError(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('finds the command, its argument and options, with global options anywhere', () => {
    const parsed = parse('--json', 'keys', '--url', 'http://127.0.0.1:1', 'rotate', 'key_1');
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(`${parsed.command.resource} ${parsed.command.action}`).toBe('keys rotate');
    expect(parsed.args).toEqual(['key_1']);
    expect(parsed.values).toMatchObject({ json: true, url: 'http://127.0.0.1:1' });
  });

  it('collects repeated options in order', () => {
    const parsed = parse('keys', 'create', '--workspace', 'w', '--name', 'n', '--metadata', 'a=1', '--metadata', 'b=2');
    expect(parsed.kind === 'run' && parsed.values.metadata).toEqual(['a=1', 'b=2']);
  });

  it('answers help for the whole CLI, a resource, or one command', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('-h')).toEqual({ kind: 'help' });
    expect(parse('keys', '--help')).toEqual({ kind: 'help', resource: 'keys' });
    const commandHelp = parse('keys', 'create', '--help');
    expect(commandHelp.kind === 'help' && commandHelp.command?.action).toBe('create');
    const helpCommand = parse('help', 'configs', 'rollback');
    expect(helpCommand.kind === 'help' && helpCommand.command?.action).toBe('rollback');
  });

  it('help wins over missing required options', () => {
    expect(parse('virtual-keys', 'add', '--help').kind).toBe('help');
  });

  it.each([
    [[], 'no command given'],
    [['nope'], 'unknown command "nope"'],
    [['keys'], '"keys" needs an action: create, list, get, update, rotate, revoke'],
    [['keys', 'burn'], 'unknown action "keys burn"'],
    [['keys', 'get'], 'keys get needs ID'],
    [['keys', 'get', 'a', 'b'], 'keys get: unexpected argument "b"'],
    [['keys', 'create', '--workspace', 'w'], 'keys create needs --name'],
    [['keys', 'list', '--arn-pattern', 'x'], 'keys list does not take --arn-pattern'],
    [['keys', 'list', '--bogus'], 'unknown option --bogus'],
    [['keys', 'list', '--url'], '--url needs a value'],
    [['keys', 'list', '--json=yes'], '--json does not take a value'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(...argv)).toContain(message);
  });

  it('refuses a secret given as an argument and says why', () => {
    const message = usageError('virtual-keys', 'add', '--id', 'v', '--secret', 'sk-live-123');
    expect(message).toBe(
      '--secret is not accepted: a secret on the command line lands in shell history; use --secret-stdin or --secret-env VAR',
    );
    expect(usageError('virtual-keys', 'rotate', 'v', '--secret=sk-live-123')).not.toContain('sk-live-123');
  });

  it('keeps every error message on one line', () => {
    for (const argv of [['keys', 'list', '--bogus'], ['keys', 'list', '--url'], ['--', '-x']]) {
      expect(usageError(...argv)).not.toContain('\n');
    }
  });

  it('gives every command a summary and only known option names', () => {
    for (const command of ALL_COMMANDS) {
      expect(command.summary.length).toBeGreaterThan(0);
      for (const required of command.required ?? []) expect(command.options).toContain(required);
    }
  });
});
