import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCachedAnswer, encodeCachedAnswer } from '../../../shared/src/cache/cached-answer-codec.ts';

describe('cached answer codec', () => {
  it('keeps small answers raw behind a format byte', async () => {
    const json = '{"id":"x","choices":[]}';
    const value = await encodeCachedAnswer(json);
    expect(value[0]).toBe(0);
    expect(value.byteLength).toBe(json.length + 1);
    expect(decodeCachedAnswer(value)).toBe(json);
  });

  it('compresses large answers with brotli and restores them exactly', async () => {
    const json = JSON.stringify({ choices: [{ message: { content: 'The quick brown fox jumps over the lazy dog. '.repeat(2000) } }] });
    const value = await encodeCachedAnswer(json);
    expect(value[0]).toBe(1);
    expect(value.byteLength).toBeLessThan(json.length / 20);
    expect(decodeCachedAnswer(value)).toBe(json);
  });

  it('keeps text that does not compress readable too', async () => {
    const json = JSON.stringify({ data: randomBytes(50_000).toString('base64') });
    expect(decodeCachedAnswer(await encodeCachedAnswer(json))).toBe(json);
  });

  it('refuses bytes of an unknown format', () => {
    expect(() => decodeCachedAnswer(new Uint8Array([9, 1, 2]))).toThrow(/format 9/);
  });
});
