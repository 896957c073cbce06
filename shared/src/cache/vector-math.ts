/** The vector scaled to length 1 (a zero vector stays zero), as float32 like the index stores it. */
export function unitVector(values: readonly number[]): Float32Array {
  let squares = 0;
  for (const value of values) squares += value * value;
  const length = Math.sqrt(squares);
  const unit = new Float32Array(values.length);
  if (length === 0 || !Number.isFinite(length)) return unit;
  for (let index = 0; index < values.length; index++) unit[index] = (values[index] as number) / length;
  return unit;
}

/** Sum of products; for unit vectors, their cosine similarity. Vectors of different lengths never match. */
export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index] as number) * (b[index] as number);
  return sum;
}
