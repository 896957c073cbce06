import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/cli-error.ts';
import { ALL_COMMANDS } from '../../cli/commands/all-commands.ts';
import { logQueryFromOptions } from '../../cli/commands/logs-commands.ts';
import { globalHelp } from '../../cli/help-text.ts';
import { parseCommandLine } from '../../cli/parse-command-line.ts';

const parse = (...argv: string[]) => parseCommandLine(argv, ALL_COMMANDS);

describe('turnpike logs / analytics on the command line', () => {
  it('runs a resource that is a command by itself, with its options', () => {
    const parsed = parse('logs', '--metadata', 'env=prod', '--metadata', 'team=a', '--key', 'key_1', '--min-latency-ms', '250', '--follow');
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(parsed.command.resource).toBe('logs');
    expect(parsed.values.follow).toBe(true);
    expect(logQueryFromOptions(parsed.values)).toMatchObject({ api_key_id: 'key_1', min_latency_ms: '250', metadata: ['env:prod', 'team:a'] });
  });

  it('maps every filter to the API query and checks values', () => {
    const parsed = parse('logs', '--from', '2026-01-01', '--to', '2026-01-02T00:00:00Z', '--workspace', 'w', '--trace', 't', '--provider', 'p', '--model', 'm', '--status', 'error', '--min-cost', '0.5');
    if (parsed.kind !== 'run') throw new Error('not a run');
    expect(logQueryFromOptions(parsed.values)).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      api_key_id: undefined,
      workspace_id: 'w',
      trace_id: 't',
      provider: 'p',
      model: 'm',
      status: 'error',
      min_cost: '0.5',
      min_latency_ms: undefined,
      metadata: undefined,
    });
    const bad = parse('logs', '--min-cost', 'lots');
    if (bad.kind !== 'run') throw new Error('not a run');
    expect(() => logQueryFromOptions(bad.values)).toThrow(UsageError);
  });

  it('refuses arguments and foreign options, and shows the command help', () => {
    expect(() => parse('logs', 'extra')).toThrow(/unexpected argument "extra"/);
    expect(() => parse('analytics', '--follow')).toThrow(/analytics does not take --follow/);
    expect(parse('logs', '--help')).toMatchObject({ kind: 'help', command: { resource: 'logs' } });
    expect(globalHelp(ALL_COMMANDS)).toMatch(/^ {2}logs +Show request logs/m);
  });
});
