import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { applyPartialArgument, parseJsonPath } from '../../../../shared/src/providers/google/gemini-partial-arguments.ts';

describe('parseJsonPath', () => {
  it('reads dotted names, indexes and quoted names', () => {
    expect(parseJsonPath('$.operations[0].action')).toEqual(['operations', 0, 'action']);
    expect(parseJsonPath(`$['a b']["c"].d`)).toEqual(['a b', 'c', 'd']);
    expect(parseJsonPath('operations')).toBeUndefined();
    expect(parseJsonPath('$..x')).toBeUndefined();
  });
});

describe('applyPartialArgument', () => {
  it('rebuilds nested arguments, joining strings sent in pieces', () => {
    const args: JsonObject = {};
    applyPartialArgument(args, { jsonPath: '$.items[0].name', stringValue: 'Fresh ', willContinue: true });
    applyPartialArgument(args, { jsonPath: '$.items[0].name', stringValue: 'apple' });
    applyPartialArgument(args, { jsonPath: '$.items[0].price', numberValue: 0.5 });
    applyPartialArgument(args, { jsonPath: '$.items[1].ok', boolValue: true });
    applyPartialArgument(args, { jsonPath: '$.note', nullValue: null });
    expect(args).toEqual({ items: [{ name: 'Fresh apple', price: 0.5 }, { ok: true }], note: null });
  });

  it('skips pieces that would touch the prototype or build huge arrays', () => {
    const args: JsonObject = {};
    applyPartialArgument(args, { jsonPath: '$.__proto__.polluted', stringValue: 'yes' });
    applyPartialArgument(args, { jsonPath: '$.list[99999999]', stringValue: 'x' });
    applyPartialArgument(args, { jsonPath: '$.unknown' });
    expect(args).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
