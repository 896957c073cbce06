import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeLoggedBodies, encodeLoggedBodies } from '../../../shared/src/logging/encode-logged-bodies.ts';
import { truncateLoggedBody, truncationMarker } from '../../../shared/src/logging/logged-bodies.ts';

describe('encodeLoggedBodies', () => {
  it('compresses the bodies and reads them back unchanged', async () => {
    const bodies = {
      mode: 'full' as const,
      request: { format: 'json' as const, text: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello '.repeat(500) }] }) },
      response: { format: 'sse' as const, text: 'data: {"choices":[]}\n\n'.repeat(200), bytes: 4400 },
    };
    const packed = await encodeLoggedBodies(bodies);
    expect(packed.byteLength).toBeLessThan((bodies.request.text.length + bodies.response.text.length) / 10);
    expect(decodeLoggedBodies(packed)).toEqual(bodies);
  });

  it('cuts bodies that do not fit the budget, ending each with the truncation marker', async () => {
    // Random base64 barely compresses: 400 KB of it cannot fit a 64 KB budget whole.
    const text = randomBytes(300_000).toString('base64');
    const packed = await encodeLoggedBodies({ mode: 'full', request: { format: 'text', text, bytes: text.length } }, 64 * 1024);
    expect(packed.byteLength).toBeLessThanOrEqual(64 * 1024);
    const { request } = decodeLoggedBodies(packed);
    expect(request?.truncated).toBe(true);
    expect(request?.bytes).toBe(text.length);
    expect(request?.text).toMatch(/…\[truncated by Turnpike: \d+ of 400000 characters kept\]$/);
    const kept = Number(/: (\d+) of/.exec(request?.text ?? '')?.[1]);
    expect(request?.text.startsWith(text.slice(0, kept))).toBe(true);
    expect(kept).toBeGreaterThan(20_000);
  });

  it('stores bodies under 1 KiB as they are, and compresses larger ones, each read back unchanged', async () => {
    const sized = (characters: number) => ({ mode: 'redacted' as const, request: { format: 'json' as const, text: JSON.stringify({ model: 'gpt-4o', note: 'x'.repeat(characters) }) } });
    const small = await encodeLoggedBodies(sized(100));
    expect(small[0]).toBe(0);
    expect(new TextDecoder().decode(small.subarray(1))).toBe(JSON.stringify(sized(100)));
    expect(decodeLoggedBodies(small)).toEqual(sized(100));
    // Compressed on the event loop (a few KiB) and on the thread pool (larger): the same format.
    for (const characters of [2_000, 50_000]) {
      const packed = await encodeLoggedBodies(sized(characters));
      expect(packed[0]).toBe(1);
      expect(packed.byteLength).toBeLessThan(characters / 5);
      expect(decodeLoggedBodies(packed)).toEqual(sized(characters));
    }
  });

  it('refuses bytes it did not write', () => {
    expect(() => decodeLoggedBodies(new Uint8Array([9, 1, 2]))).toThrow(/Unknown logged bodies format/);
  });
});

describe('truncateLoggedBody', () => {
  it('keeps short bodies as they are and never splits a surrogate pair', () => {
    const body = { format: 'text' as const, text: 'ab😀cd' };
    expect(truncateLoggedBody(body, 10)).toBe(body);
    expect(truncateLoggedBody(body, 3)).toEqual({ format: 'text', text: `ab${truncationMarker(2, 6)}`, truncated: true });
  });
});
