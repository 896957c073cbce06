import { describe, expect, it } from 'vitest';
import { type CacheScope, responseCacheKey, semanticParametersHash } from '../../../shared/src/cache/cache-key.ts';
import { canonicalJson } from '../../../shared/src/cache/canonical-json.ts';
import type { JsonObject } from '../../../shared/src/core/json.ts';

const scope: CacheScope = { workspaceId: 'ws-1', endpoint: 'chat.completions', provider: 'openai', customHost: undefined, options: {} };
const body: JsonObject = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], temperature: 0.2, max_tokens: 50 };

function keyOfText(text: string, over: Partial<CacheScope> = {}): string {
  return responseCacheKey({ ...scope, ...over }, JSON.parse(text) as JsonObject);
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
  });

  it('prints equal numbers the same way', () => {
    expect(canonicalJson(JSON.parse('{"t":0.70,"n":1e2}') as JsonObject)).toBe('{"n":100,"t":0.7}');
  });
});

describe('responseCacheKey', () => {
  it('is a SHA-256 hex digest', () => {
    expect(responseCacheKey(scope, body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not change with key order or whitespace in the request JSON', () => {
    const compact = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}],"temperature":0.2,"max_tokens":50}';
    const reordered = `{
      "max_tokens" : 50,
      "temperature": 0.20,
      "messages": [ { "content": "Hello", "role": "user" } ],
      "model": "gpt-4o-mini"
    }`;
    expect(keyOfText(reordered)).toBe(keyOfText(compact));
    expect(keyOfText(compact)).toBe(responseCacheKey(scope, body));
  });

  it('ignores stream, stream_options, user and metadata', () => {
    const delivered = { ...body, stream: true, stream_options: { include_usage: true }, user: 'alice', metadata: { team: 'a' } };
    expect(responseCacheKey(scope, delivered)).toBe(responseCacheKey(scope, body));
  });

  it('changes with every generation parameter, the model and the messages', () => {
    const key = responseCacheKey(scope, body);
    for (const changed of [
      { ...body, temperature: 0.3 },
      { ...body, max_tokens: 51 },
      { ...body, seed: 1 },
      { ...body, model: 'gpt-4o' },
      { ...body, messages: [{ role: 'user', content: 'Hello!' }] },
      { ...body, response_format: { type: 'json_object' } },
    ]) {
      expect(responseCacheKey(scope, changed)).not.toBe(key);
    }
  });

  it('keeps workspaces, endpoints, providers, custom hosts and provider settings apart', () => {
    const key = responseCacheKey(scope, body);
    for (const other of [
      { ...scope, workspaceId: 'ws-2' },
      { ...scope, endpoint: 'completions' as const },
      { ...scope, provider: 'groq' },
      { ...scope, customHost: 'http://127.0.0.1:9000/v1' },
      { ...scope, options: { deployment_id: 'gpt4' } },
    ]) {
      expect(responseCacheKey(other, body)).not.toBe(key);
    }
  });

  it('leaves credentials in provider settings out of the key', () => {
    const withRegion = { ...scope, options: { aws_region: 'us-east-1' } };
    const withKeys = { ...scope, options: { aws_region: 'us-east-1', aws_access_key_id: 'AKID', aws_secret_access_key: 'secret', aws_session_token: 't' } };
    expect(responseCacheKey(withKeys, body)).toBe(responseCacheKey(withRegion, body));
  });
});

describe('semanticParametersHash', () => {
  const { workspaceId: _workspace, ...target } = scope;
  const hash = (changed: JsonObject, instructions: string[] = [], embedder = 'ngram-3-512'): string =>
    semanticParametersHash(target, changed, ['messages'], instructions, embedder);

  it('ignores the prompt text and the model (the bucket holds the model)', () => {
    expect(hash({ ...body, messages: [{ role: 'user', content: 'Hi there' }], model: 'other' })).toBe(hash(body));
  });

  it('changes with the parameters, the system instructions and the embedder', () => {
    expect(hash({ ...body, temperature: 0.9 })).not.toBe(hash(body));
    expect(hash(body, ['system: be brief'])).not.toBe(hash(body));
    expect(hash(body, [], 'bedrock:amazon.titan-embed-text-v2:0:512')).not.toBe(hash(body));
  });
});
