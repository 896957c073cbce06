import { describe, expect, it } from 'vitest';
import { convertEmbeddingRequest, mapEmbeddingResponse } from '../../../../shared/src/providers/google/gemini-embeddings.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

describe('convertEmbeddingRequest', () => {
  it('sends one input to embedContent with outputDimensionality', () => {
    expect(convertEmbeddingRequest({ model: 'text-embedding-004', input: 'hello', dimensions: 256, encoding_format: 'float', user: 'u' })).toEqual({
      method: 'embedContent',
      body: { content: { parts: [{ text: 'hello' }] }, outputDimensionality: 256 },
      warnings: [],
      encoding: 'float',
    });
  });

  it('sends several inputs to batchEmbedContents, each naming the model', () => {
    expect(convertEmbeddingRequest({ model: 'models/gemini-embedding-001', input: ['a', 'b'], encoding_format: 'base64', truncate: 'END' })).toEqual({
      method: 'batchEmbedContents',
      body: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
        ],
      },
      warnings: ['truncate'],
      encoding: 'base64',
    });
  });

  it('refuses token arrays and empty input', () => {
    expect(() => convertEmbeddingRequest({ model: 'text-embedding-004', input: [1, 2, 3] })).toThrow(expect.objectContaining({ status: 400, param: 'input' }));
    expect(() => convertEmbeddingRequest({ model: 'text-embedding-004', input: [] })).toThrow(expect.objectContaining({ param: 'input' }));
  });
});

describe('mapEmbeddingResponse', () => {
  it('maps embedContent and batchEmbedContents answers, with no usage from Gemini', () => {
    const single = mapEmbeddingResponse(JSON.parse(fixtureText('google/written/google-embed-content.json')), 'text-embedding-004', 'float');
    expect(single.response).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.013168523, -0.008711934, -0.046782676, 0.00069968984] }],
      model: 'text-embedding-004',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
    expect(single.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    const batch = mapEmbeddingResponse(JSON.parse(fixtureText('google/written/google-batch-embed-contents.json')), 'm', 'float');
    expect(batch.response.data.map((item) => item.index)).toEqual([0, 1]);
  });

  it('encodes vectors as base64 float32 when asked', () => {
    const { response } = mapEmbeddingResponse({ embedding: { values: [1, -2] } }, 'm', 'base64');
    const encoded = response.data[0]?.embedding as string;
    expect(Array.from(new Float32Array(new Uint8Array(Buffer.from(encoded, 'base64')).buffer))).toEqual([1, -2]);
    expect(encoded).toBe(Buffer.from(new Float32Array([1, -2]).buffer).toString('base64'));
  });

  it('calls an answer without vectors a bad gateway', () => {
    expect(() => mapEmbeddingResponse({ nothing: true }, 'm', 'float')).toThrow(expect.objectContaining({ status: 502 }));
  });
});
