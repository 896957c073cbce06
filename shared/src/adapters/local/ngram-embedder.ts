import type { Embedder } from '../../ports/embedder.ts';

export interface NgramEmbedderOptions {
  /** Length of the vectors. @default 512 */
  dimensions?: number;
  /** Length of the character n-grams. @default 3 */
  n?: number;
}

/** FNV-1a over UTF-16 code units: fast, stable across processes and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Case, accents' composed forms, punctuation and spacing do not change the vector. */
function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The local semantic cache's embedder: hashed character n-grams (the "hashing trick"),
 * with a sign bit per n-gram so collisions cancel out on average. It needs no
 * model download and no network and is deterministic, but it is LEXICAL, not semantic:
 * prompts that share most of their characters (rewording, typos, punctuation, case) come
 * out close; prompts that mean the same in other words do not. On AWS the gateway uses a
 * real embedding model (Titan Text Embeddings v2) instead.
 */
export function createNgramEmbedder(options: NgramEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 512;
  const n = options.n ?? 3;

  function embedOne(text: string): number[] {
    const vector = new Array<number>(dimensions).fill(0);
    const add = (feature: string): void => {
      const hash = fnv1a(feature);
      vector[hash % dimensions] = (vector[hash % dimensions] as number) + (hash >>> 31 === 0 ? 1 : -1);
    };
    // Padding makes word starts and ends n-grams of their own.
    const padded = ` ${normalizeText(text)} `;
    for (let start = 0; start + n <= padded.length; start++) add(padded.slice(start, start + n));
    let squares = 0;
    for (const value of vector) squares += value * value;
    const length = Math.sqrt(squares);
    return length === 0 ? vector : vector.map((value) => value / length);
  }

  return {
    id: `ngram-${n}-${dimensions}`,
    embed: async (texts) => texts.map(embedOne),
  };
}
