import { describe, expect, it } from 'vitest';
import { formatDate, formatDetails, formatTable, formatValue } from '../../cli/format-table.ts';

describe('formatTable', () => {
  it('aligns columns two spaces apart without trailing spaces', () => {
    expect(
      formatTable(
        ['ID', 'NAME', 'STATUS'],
        [
          ['key_1', 'ci', 'active'],
          ['key_22', 'nightly builds', '-'],
        ],
      ),
    ).toBe(
      ['ID      NAME            STATUS', 'key_1   ci              active', 'key_22  nightly builds  -', ''].join('\n'),
    );
  });

  it('pads by characters, so accented names line up', () => {
    const lines = formatTable(['NAME', 'X'], [['café', '1'], ['cafe', '2']]).split('\n');
    expect(lines[1]?.indexOf('1')).toBe(lines[2]?.indexOf('2'));
  });

  it('keeps each row on one line and neutralises terminal escapes', () => {
    const table = formatTable(['NAME'], [['evil\nrow\u001b[2Jx\u202e']]);
    expect(table).toBe('NAME\nevil row\uFFFD[2Jx\uFFFD\n');
  });
});

describe('formatDetails', () => {
  it('pads labels to the longest', () => {
    expect(formatDetails([['id', 'key_1'], ['display_prefix', 'tpk_AbCd'], ['note', '']])).toBe(
      'id              key_1\ndisplay_prefix  tpk_AbCd\nnote\n',
    );
  });
});

describe('formatValue', () => {
  it('shows nothing as "-", lists as commas, an empty list as "(none)", objects as JSON', () => {
    expect(formatValue(null)).toBe('-');
    expect(formatValue(undefined)).toBe('-');
    expect(formatValue(['openai', 'anthropic'])).toBe('openai,anthropic');
    expect(formatValue([])).toBe('(none)');
    expect(formatValue({ providers: ['openai'] })).toBe('{"providers":["openai"]}');
    expect(formatValue({ owner: 'platform', region: 'eu' })).toBe('owner=platform,region=eu');
    expect(formatValue({})).toBe('-');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(false)).toBe('false');
  });

  it('prints dates in ISO 8601 UTC from epoch milliseconds or strings', () => {
    expect(formatDate(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatDate('2030-01-31T02:00:00+02:00')).toBe('2030-01-31T00:00:00.000Z');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatValue(null, { date: true })).toBe('-');
  });
});
