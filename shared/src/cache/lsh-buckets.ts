import { dotProduct } from './vector-math.ts';

/**
 * Random-hyperplane locality-sensitive hashing (Charikar, 2002): each bit is the side of a
 * random hyperplane a vector falls on, so two vectors at angle θ agree on a bit with
 * probability 1 − θ/π. A table's bucket is `bitsPerTable` such bits; a lookup reads one
 * bucket per table, so its cost is bounded by `tables` reads whatever the cache holds.
 */
export interface LshLayout {
  tables: number;
  bitsPerTable: number;
  /** The hyperplanes are drawn from this seed, so every process files vectors the same way. */
  seed: number;
}

/**
 * 6 tables of 6 bits: two unit vectors with cosine 0.95 share at least one bucket with
 * probability ≈ 0.99 (0.95 at cosine 0.9), while each table splits a scope into 64 buckets.
 */
export const DEFAULT_LSH_LAYOUT: LshLayout = { tables: 6, bitsPerTable: 6, seed: 0x74_70_6b_31 };

/** A small deterministic generator (a Weyl sequence through murmur3's finalizer); uniform in [0, 1). */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    mixed ^= mixed >>> 16;
    return (mixed >>> 0) / 4_294_967_296;
  };
}

/** Normal samples (Box–Muller): Gaussian hyperplane normals point in uniformly random directions. */
function gaussianSamples(count: number, uniform: () => number): Float32Array {
  const samples = new Float32Array(count);
  for (let index = 0; index < count; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    samples[index] = radius * Math.cos(angle);
    if (index + 1 < count) samples[index + 1] = radius * Math.sin(angle);
  }
  return samples;
}

const hyperplaneSets = new Map<string, Float32Array[]>();

function hyperplanes(layout: LshLayout, dimensions: number): Float32Array[] {
  const id = `${layout.seed}:${layout.tables}:${layout.bitsPerTable}:${dimensions}`;
  let planes = hyperplaneSets.get(id);
  if (planes === undefined) {
    const uniform = seededUniform(layout.seed ^ Math.imul(dimensions, 0x27d4eb2f));
    planes = Array.from({ length: layout.tables * layout.bitsPerTable }, () => gaussianSamples(dimensions, uniform));
    hyperplaneSets.set(id, planes);
  }
  return planes;
}

/** The bucket of `vector` in each table, as `t<table>:<bits>` (e.g. `t3:011010`). */
export function lshBuckets(vector: ArrayLike<number>, layout: LshLayout = DEFAULT_LSH_LAYOUT): string[] {
  const planes = hyperplanes(layout, vector.length);
  const buckets: string[] = [];
  for (let table = 0; table < layout.tables; table++) {
    let bits = '';
    for (let bit = 0; bit < layout.bitsPerTable; bit++) {
      bits += dotProduct(planes[table * layout.bitsPerTable + bit] as Float32Array, vector) >= 0 ? '1' : '0';
    }
    buckets.push(`t${table}:${bits}`);
  }
  return buckets;
}
