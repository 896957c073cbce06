import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SemanticBucket, SemanticCacheIndex } from '../../shared/src/ports/semantic-cache-index.ts';
import { FakeClock } from '../support/fake-clock.ts';

export type SemanticCacheIndexFactory = (clock: FakeClock) => SemanticCacheIndex;

/** The behaviour every SemanticCacheIndex must have. Workspaces are unique per test. */
export function describeSemanticCacheIndexContract(name: string, createIndex: SemanticCacheIndexFactory): void {
  describe(`${name} (SemanticCacheIndex contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      const bucket: SemanticBucket = { workspaceId: `ws-${randomUUID()}`, model: 'gpt-4o#mini', parametersHash: 'p1', bucket: 't0:0101' };
      return { clock, index: createIndex(clock), bucket, inAnHour: Math.floor(clock.now() / 1000) + 3600 };
    }

    it('returns the entries filed under a bucket with their embeddings', async () => {
      const { index, bucket, inAnHour } = setup();
      const embedding = new Float32Array([0.5, -1.25, 3.0e-8, 42]);
      await index.add(bucket, { cacheKey: 'k1', embedding, expiresAt: inAnHour });
      const entries = await index.entries(bucket);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.cacheKey).toBe('k1');
      expect(entries[0]?.expiresAt).toBe(inAnHour);
      expect([...(entries[0]?.embedding ?? [])]).toEqual([...embedding]);
    });

    it('keeps buckets apart, even when their parts contain separators', async () => {
      const { index, bucket, inAnHour } = setup();
      const embedding = new Float32Array([1]);
      await index.add(bucket, { cacheKey: 'same', embedding, expiresAt: inAnHour });
      for (const other of [
        { ...bucket, model: 'gpt-4o' },
        { ...bucket, parametersHash: 'p2' },
        { ...bucket, bucket: 't1:0101' },
        { ...bucket, model: 'gpt-4o', parametersHash: `mini#${bucket.parametersHash}` },
      ]) {
        expect(await index.entries(other)).toEqual([]);
      }
    });

    it('replaces an entry with the same cache key, drops expired ones, and honours the limit', async () => {
      const { index, bucket, clock, inAnHour } = setup();
      const soon = Math.floor(clock.now() / 1000) + 5;
      await index.add(bucket, { cacheKey: 'a', embedding: new Float32Array([1]), expiresAt: inAnHour });
      await index.add(bucket, { cacheKey: 'a', embedding: new Float32Array([2]), expiresAt: inAnHour });
      await index.add(bucket, { cacheKey: 'b', embedding: new Float32Array([3]), expiresAt: soon });
      await index.add(bucket, { cacheKey: 'c', embedding: new Float32Array([4]), expiresAt: inAnHour });
      expect((await index.entries(bucket)).map((entry) => [entry.cacheKey, entry.embedding[0]])).toEqual([['a', 2], ['b', 3], ['c', 4]]);
      expect(await index.entries(bucket, 2)).toHaveLength(2);
      clock.current += 6_000;
      expect((await index.entries(bucket)).map((entry) => entry.cacheKey)).toEqual(['a', 'c']);
    });
  });
}
