import { describe, expect, it } from 'vitest';
import { readCacheOptions } from '../../../shared/src/runtime/read-cache-options.ts';

describe('readCacheOptions', () => {
  it('defaults to threshold 0.95, 4 messages, Titan on AWS and n-grams locally', () => {
    expect(readCacheOptions({}, 'aws')).toEqual({
      settings: { semanticThreshold: 0.95, semanticMaxMessages: 4, memoryBytes: 16 * 1024 * 1024, memoryMaxAgeMs: 10_000 },
      embedder: { kind: 'titan' },
    });
    expect(readCacheOptions({}, 'local').embedder).toEqual({ kind: 'ngram' });
  });

  it('reads the operator settings', () => {
    const options = readCacheOptions(
      {
        TURNPIKE_SEMANTIC_THRESHOLD: '0.9',
        TURNPIKE_SEMANTIC_MAX_MESSAGES: '8',
        TURNPIKE_EMBEDDER: 'bedrock:amazon.titan-embed-text-v2:0',
        TURNPIKE_CACHE_MEMORY_BYTES: '0',
        TURNPIKE_CACHE_MEMORY_MAX_AGE_MS: '2500',
      },
      'local',
    );
    expect(options).toEqual({
      settings: { semanticThreshold: 0.9, semanticMaxMessages: 8, memoryBytes: 0, memoryMaxAgeMs: 2500 },
      embedder: { kind: 'provider', provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0' },
    });
    expect(readCacheOptions({ TURNPIKE_EMBEDDER: 'titan' }, 'local').embedder).toEqual({ kind: 'titan' });
  });

  it('refuses values that make no sense', () => {
    expect(() => readCacheOptions({ TURNPIKE_SEMANTIC_THRESHOLD: '1.5' }, 'aws')).toThrow(/TURNPIKE_SEMANTIC_THRESHOLD/);
    expect(() => readCacheOptions({ TURNPIKE_SEMANTIC_THRESHOLD: 'high' }, 'aws')).toThrow(/TURNPIKE_SEMANTIC_THRESHOLD/);
    expect(() => readCacheOptions({ TURNPIKE_SEMANTIC_MAX_MESSAGES: '0' }, 'aws')).toThrow(/TURNPIKE_SEMANTIC_MAX_MESSAGES/);
    expect(() => readCacheOptions({ TURNPIKE_EMBEDDER: 'word2vec' }, 'aws')).toThrow(/TURNPIKE_EMBEDDER/);
    expect(() => readCacheOptions({ TURNPIKE_CACHE_MEMORY_BYTES: '-1' }, 'aws')).toThrow(/TURNPIKE_CACHE_MEMORY_BYTES/);
    expect(() => readCacheOptions({ TURNPIKE_CACHE_MEMORY_MAX_AGE_MS: '1.5' }, 'aws')).toThrow(/TURNPIKE_CACHE_MEMORY_MAX_AGE_MS/);
  });
});
