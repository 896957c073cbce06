import { describe, expect, it } from 'vitest';
import { isCohereFailure, mapCohereFinishReason } from '../../../../shared/src/providers/cohere/map-cohere-finish-reason.ts';
import { usageFromCohere } from '../../../../shared/src/providers/cohere/map-cohere-usage.ts';
import { coherePassthroughPath, cohereUrl } from '../../../../shared/src/providers/cohere/cohere-url.ts';
import { target } from '../../../support/mock-upstream.ts';

describe('mapCohereFinishReason', () => {
  it('maps every documented reason and keeps the raw value', () => {
    expect(['COMPLETE', 'STOP_SEQUENCE', 'MAX_TOKENS', 'TOOL_CALL', 'ERROR', 'TIMEOUT'].map(mapCohereFinishReason)).toEqual([
      { unified: 'stop', raw: 'COMPLETE' },
      { unified: 'stop', raw: 'STOP_SEQUENCE' },
      { unified: 'length', raw: 'MAX_TOKENS' },
      { unified: 'tool_calls', raw: 'TOOL_CALL' },
      { unified: 'stop', raw: 'ERROR' },
      { unified: 'length', raw: 'TIMEOUT' },
    ]);
  });

  it('treats an unknown or missing reason as stop', () => {
    expect(mapCohereFinishReason('SOMETHING_NEW')).toEqual({ unified: 'stop', raw: 'SOMETHING_NEW' });
    expect(mapCohereFinishReason(undefined)).toEqual({ unified: 'stop', raw: undefined });
    expect(mapCohereFinishReason(null)).toEqual({ unified: 'stop', raw: undefined });
  });

  it('calls only ERROR and TIMEOUT failures', () => {
    expect(['ERROR', 'TIMEOUT', 'COMPLETE', undefined].map(isCohereFailure)).toEqual([true, true, false, false]);
  });
});

describe('usageFromCohere', () => {
  it('prefers tokens, falls back to billed units per field, and keeps cached tokens', () => {
    expect(usageFromCohere({ tokens: { input_tokens: 5, output_tokens: 2 }, billed_units: { input_tokens: 1, output_tokens: 1 }, cached_tokens: 3 })).toEqual({
      promptTokens: 5,
      completionTokens: 2,
      totalTokens: 7,
      cachedPromptTokens: 3,
    });
    expect(usageFromCohere({ billed_units: { input_tokens: 4 } })).toEqual({ promptTokens: 4, completionTokens: 0, totalTokens: 4 });
    expect(usageFromCohere({})).toBeUndefined();
    expect(usageFromCohere(null)).toBeUndefined();
  });
});

describe('Cohere URLs', () => {
  it('uses api.cohere.com unless a custom host replaces the origin', () => {
    expect(cohereUrl(target({ provider: 'cohere' }), '/v2/chat')).toBe('https://api.cohere.com/v2/chat');
    expect(cohereUrl(target({ provider: 'cohere', customHost: 'https://proxy.example/cohere/' }), '/v2/chat')).toBe('https://proxy.example/cohere/v2/chat');
  });

  it('sends passthrough paths to v2 unless they name a version', () => {
    expect(coherePassthroughPath('/rerank', '')).toBe('/v2/rerank');
    expect(coherePassthroughPath('/v1/classify', '?a=1')).toBe('/v1/classify?a=1');
    expect(coherePassthroughPath('/v2/rerank', '')).toBe('/v2/rerank');
  });
});
