import { describe, expect, it } from 'vitest';
import { DEFAULT_LSH_LAYOUT, lshBuckets } from '../../../shared/src/cache/lsh-buckets.ts';
import { unitVector } from '../../../shared/src/cache/vector-math.ts';

/** A deterministic pseudo-random unit vector. */
function vector(seed: number, dimensions = 64): Float32Array {
  let state = seed;
  const values = Array.from({ length: dimensions }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  });
  return unitVector(values);
}

/** A unit vector at cosine ≈ `cosine` from `base`, towards `other`. */
function near(base: Float32Array, other: Float32Array, cosine: number): Float32Array {
  const sine = Math.sqrt(1 - cosine * cosine);
  const projection = base.reduce((sum, value, index) => sum + value * (other[index] as number), 0);
  const orthogonal = unitVector(Array.from(other, (value, index) => value - projection * (base[index] as number)));
  return unitVector(Array.from(base, (value, index) => cosine * value + sine * (orthogonal[index] as number)));
}

describe('lshBuckets', () => {
  it('gives one bucket per table, named by table and bits', () => {
    const buckets = lshBuckets(vector(1));
    expect(buckets).toHaveLength(DEFAULT_LSH_LAYOUT.tables);
    buckets.forEach((bucket, table) => expect(bucket).toMatch(new RegExp(`^t${table}:[01]{${DEFAULT_LSH_LAYOUT.bitsPerTable}}$`)));
  });

  it('is deterministic: the seed fixes the hyperplanes for every process', () => {
    expect(lshBuckets(vector(7))).toEqual(lshBuckets(Float32Array.from(vector(7))));
    // Pinned: a change here would orphan every index entry already stored.
    expect(lshBuckets(vector(7))).toMatchInlineSnapshot(`
      [
        "t0:110000",
        "t1:111101",
        "t2:100110",
        "t3:111000",
        "t4:010011",
        "t5:001011",
      ]
    `);
  });

  it('depends on the seed and ignores the length of the vector', () => {
    const v = vector(3);
    expect(lshBuckets(v, { ...DEFAULT_LSH_LAYOUT, seed: 99 })).not.toEqual(lshBuckets(v));
    expect(lshBuckets(Float32Array.from(v, (value) => value * 5))).toEqual(lshBuckets(v));
  });

  it('files near vectors in a shared bucket and opposite vectors in none', () => {
    let shared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const base = vector(seed);
      const close = near(base, vector(seed + 1000), 0.97);
      const a = lshBuckets(base);
      const b = lshBuckets(close);
      if (a.some((bucket, table) => bucket === b[table])) shared++;
      const opposite = lshBuckets(Float32Array.from(base, (value) => -value));
      expect(opposite.some((bucket, table) => bucket === a[table])).toBe(false);
    }
    // Theory: 1 − (1 − (1 − acos(0.97)/π)^6)^6 ≈ 0.997.
    expect(shared).toBeGreaterThanOrEqual(195);
  });
});
