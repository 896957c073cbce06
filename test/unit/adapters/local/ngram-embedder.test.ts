import { describe, expect, it } from 'vitest';
import { createNgramEmbedder } from '../../../../shared/src/adapters/local/ngram-embedder.ts';

const embedder = createNgramEmbedder();

async function similarity(a: string, b: string): Promise<number> {
  const [x = [], y = []] = await embedder.embed([a, b]);
  return x.reduce((sum, value, index) => sum + value * (y[index] ?? 0), 0);
}

const POEM = 'Please write a short poem about the autumn leaves falling in the quiet park.';

describe('hashed character n-gram embedder', () => {
  it('returns deterministic unit vectors of its dimension', async () => {
    const [first = []] = await embedder.embed([POEM]);
    const [again = []] = await createNgramEmbedder().embed([POEM]);
    expect(first).toHaveLength(512);
    expect(again).toEqual(first);
    expect(Math.hypot(...first)).toBeCloseTo(1, 10);
    expect(embedder.id).toBe('ngram-3-512');
  });

  it('ignores case, punctuation and spacing', async () => {
    expect(await similarity(POEM, '  please write a SHORT poem about the autumn leaves falling in the quiet park ')).toBeCloseTo(1, 10);
  });

  it('scores a small typo or a dropped word above the default threshold', async () => {
    expect(await similarity(POEM, POEM.replace('autumn', 'autum'))).toBeGreaterThan(0.95);
    expect(await similarity(POEM, POEM.replace('about the', 'about'))).toBeGreaterThan(0.95);
  });

  it('scores a different request well below it (lexical, not semantic)', async () => {
    expect(await similarity(POEM, 'Please write a short poem about the spring flowers blooming in the busy city.')).toBeLessThan(0.8);
    expect(await similarity(POEM, 'How many moons does the planet Jupiter have?')).toBeLessThan(0.3);
  });

  it('embeds an empty text as a zero vector', async () => {
    const [empty = []] = await embedder.embed(['!!']);
    expect(empty.every((value) => value === 0)).toBe(true);
  });
});
