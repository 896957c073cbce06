import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/cli-error.ts';
import {
  integerOption,
  isoDateOption,
  keyValueOption,
  listOption,
  requiredString,
} from '../../cli/option-values.ts';

describe('option values', () => {
  it('splits comma lists and joins repeats, keeping "absent" apart from "empty"', () => {
    expect(listOption({ 'scope-models': ['gpt-4o, gpt-4o-mini', 'claude-*'] }, 'scope-models')).toEqual([
      'gpt-4o',
      'gpt-4o-mini',
      'claude-*',
    ]);
    expect(listOption({ 'scope-models': [''] }, 'scope-models')).toEqual([]);
    expect(listOption({}, 'scope-models')).toBeUndefined();
  });

  it('reads K=V pairs, splitting at the first "="', () => {
    expect(keyValueOption({ option: ['aws_region=us-east-1', 'note=a=b'] }, 'option')).toEqual({
      aws_region: 'us-east-1',
      note: 'a=b',
    });
    expect(() => keyValueOption({ metadata: ['novalue'] }, 'metadata')).toThrow(UsageError);
    expect(() => keyValueOption({ metadata: ['=x'] }, 'metadata')).toThrow('--metadata expects KEY=VALUE, got "=x"');
  });

  it('checks whole numbers and their range', () => {
    expect(integerOption({ limit: '200' }, 'limit', 1, 200)).toBe(200);
    expect(integerOption({}, 'limit', 1, 200)).toBeUndefined();
    for (const bad of ['0', '201', '1.5', '-3', 'ten', '']) {
      expect(() => integerOption({ limit: bad }, 'limit', 1, 200)).toThrow(UsageError);
    }
  });

  it('accepts ISO 8601 dates only and normalises them to UTC', () => {
    expect(isoDateOption({ 'expires-at': '2030-01-31T02:00:00+02:00' }, 'expires-at')).toBe('2030-01-31T00:00:00.000Z');
    expect(isoDateOption({ 'expires-at': '2030-01-31' }, 'expires-at')).toBe('2030-01-31T00:00:00.000Z');
    expect(() => isoDateOption({ 'expires-at': 'next tuesday' }, 'expires-at')).toThrow(UsageError);
    expect(() => isoDateOption({ 'expires-at': '2030-13-45' }, 'expires-at')).toThrow(UsageError);
  });

  it('treats an empty required value as missing', () => {
    expect(() => requiredString({ name: '' }, 'name')).toThrow('--name is required');
  });
});
