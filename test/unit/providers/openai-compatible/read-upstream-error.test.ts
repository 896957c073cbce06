import { describe, expect, it } from 'vitest';
import { readUpstreamError } from '../../../../shared/src/providers/openai-compatible/read-upstream-error.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('readUpstreamError', () => {
  it('keeps an OpenAI-shaped body and stringifies a numeric code', async () => {
    const response = new Response('{"error":{"message":"Invalid model","type":"invalid_request_error","code":404,"param":"model"}}', {
      status: 404,
    });
    const error = await readUpstreamError('groq', response, NOW);
    expect(error.status).toBe(404);
    expect(error.toOpenAIError()).toEqual({
      error: { message: 'Invalid model', type: 'invalid_request_error', code: '404', param: 'model' },
    });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('uses the text of {"error": "..."} bodies (Ollama, Hugging Face)', async () => {
    const error = await readUpstreamError('ollama', new Response('{"error":"model \\"llama9\\" not found"}', { status: 404 }), NOW);
    expect(error.toOpenAIError().error).toEqual({ message: 'model "llama9" not found', type: 'upstream_error', code: null, param: null });
  });

  it('uses a top-level message when there is no error object', async () => {
    const error = await readUpstreamError('mistral-ai', new Response('{"object":"error","message":"Unauthorized"}', { status: 401 }), NOW);
    expect(error.message).toBe('Unauthorized');
    expect(error.retryable).toBe(false);
  });

  it('says something useful for an empty body', async () => {
    const error = await readUpstreamError('cerebras', new Response(null, { status: 503 }), NOW);
    expect(error.message).toBe('cerebras answered with HTTP 503 and no message.');
    expect(error.retryable).toBe(true);
  });

  it('reads the retry hint from an HTTP date', async () => {
    const response = new Response('busy', { status: 503, headers: { 'retry-after': 'Sun, 01 Mar 2026 12:00:10 GMT' } });
    const error = await readUpstreamError('openai', response, NOW);
    expect(error.retryAfterMs).toBe(10_000);
    expect(error.headers).toEqual({ 'retry-after': 'Sun, 01 Mar 2026 12:00:10 GMT' });
  });
});
