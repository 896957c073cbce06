import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import {
  createOpenAICompatibleProviders,
  OPENAI_COMPATIBLE_SPECS,
} from '../../../../shared/src/providers/openai-compatible/openai-compatible-providers.ts';
import type { FetchFunction } from '../../../../shared/src/providers/provider-model.ts';
import { providerRequest, target } from '../../../support/mock-upstream.ts';

/** A fetch that records what it was asked and answers with a small chat completion. */
function recordingFetch() {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch: FetchFunction = async (input, init) => {
    calls.push({ url: String(input), init });
    return new Response('{"id":"x","object":"chat.completion","choices":[]}', { headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const EXPECTED_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  'together-ai': 'https://api.together.xyz/v1',
  'mistral-ai': 'https://api.mistral.ai/v1',
  cerebras: 'https://api.cerebras.ai/v1',
  sambanova: 'https://api.sambanova.ai/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  'x-ai': 'https://api.x.ai/v1',
  deepinfra: 'https://api.deepinfra.com/v1/openai',
  'fireworks-ai': 'https://api.fireworks.ai/inference/v1',
  'perplexity-ai': 'https://api.perplexity.ai',
  ollama: 'http://localhost:11434/v1',
  'local-ai': 'http://localhost:8080/v1',
  github: 'https://models.github.ai/inference',
  huggingface: 'https://router.huggingface.co/v1',
  deepseek: 'https://api.deepseek.com/v1',
  'nvidia-nim': 'https://integrate.api.nvidia.com/v1',
};

describe('the OpenAI-compatible provider table', () => {
  it.each(Object.entries(EXPECTED_BASE_URLS))('%s calls %s with a Bearer key', async (id, baseUrl) => {
    const { fetch, calls } = recordingFetch();
    const model = createOpenAICompatibleProviders({ fetch }).find((candidate) => candidate.id === id);
    expect(model).toBeDefined();
    await model!.call(providerRequest({ target: target({ provider: id, apiKey: 'key-1' }) }));
    expect(calls[0]!.url).toBe(`${baseUrl}/chat/completions`);
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe('Bearer key-1');
    expect(calls[0]!.init?.method).toBe('POST');
  });

  it('builds the Workers AI URL from the account id', async () => {
    const { fetch, calls } = recordingFetch();
    const workersAi = createOpenAICompatibleProviders({ fetch }).find((candidate) => candidate.id === 'workers-ai')!;
    await workersAi.call(
      providerRequest({ target: target({ provider: 'workers-ai', apiKey: 'cf-token', options: { workers_ai_account_id: '0123abcd' } }) }),
    );
    expect(calls[0]!.url).toBe('https://api.cloudflare.com/client/v4/accounts/0123abcd/ai/v1/chat/completions');
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe('Bearer cf-token');
  });

  it('refuses a Workers AI account id that would change the URL', async () => {
    const { fetch, calls } = recordingFetch();
    const workersAi = createOpenAICompatibleProviders({ fetch }).find((candidate) => candidate.id === 'workers-ai')!;
    await expect(
      workersAi.call(providerRequest({ target: target({ options: { workers_ai_account_id: '../../evil' } }) })),
    ).rejects.toBeInstanceOf(BadRequestError);
    expect(calls).toHaveLength(0);
  });

  it('lets custom_host replace the base URL', async () => {
    const { fetch, calls } = recordingFetch();
    const huggingface = createOpenAICompatibleProviders({ fetch }).find((candidate) => candidate.id === 'huggingface')!;
    await huggingface.call(providerRequest({ target: target({ customHost: 'https://tgi.example.com/v1/' }) }));
    expect(calls[0]!.url).toBe('https://tgi.example.com/v1/chat/completions');
  });

  it('needs no key only for the local servers, and covers Azure too', () => {
    const models = createOpenAICompatibleProviders({ fetch: recordingFetch().fetch });
    const keyless = models.filter((model) => !model.requiresApiKey).map((model) => model.id);
    expect(keyless.sort()).toEqual(['local-ai', 'ollama']);
    expect(models.map((model) => model.id)).toContain('azure-openai');
    expect(new Set(models.map((model) => model.id)).size).toBe(models.length);
    expect([...OPENAI_COMPATIBLE_SPECS.keys()].sort()).toEqual([...Object.keys(EXPECTED_BASE_URLS), 'workers-ai'].sort());
  });

  it('asks for stream usage everywhere except where the provider refuses stream_options', () => {
    const refusing = [...OPENAI_COMPATIBLE_SPECS.values()].filter((spec) => !spec.supportsStreamUsage).map((spec) => spec.id);
    expect(refusing.sort()).toEqual(['mistral-ai', 'perplexity-ai']);
  });
});
