import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import { createAzureOpenAIProvider } from '../../../../shared/src/providers/azure-openai/azure-openai-provider.ts';
import { DEFAULT_AZURE_API_VERSION } from '../../../../shared/src/providers/azure-openai/azure-openai-url.ts';
import type { FetchFunction, ProviderRequest } from '../../../../shared/src/providers/provider-model.ts';
import {
  fixtureChunks,
  providerRequest,
  sseFrames,
  startMockUpstream,
  target,
  type MockUpstream,
} from '../../../support/mock-upstream.ts';

function recordingFetch() {
  const calls: Array<{ url: string; headers: Headers; body: unknown }> = [];
  const fetch: FetchFunction = async (input, init) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), body: init?.body });
    return new Response('{"id":"x","object":"chat.completion","choices":[]}', { headers: { 'content-type': 'application/json' } });
  };
  return { fetch, calls };
}

const AZURE_OPTIONS = { resource_name: 'contoso-eastus', deployment_id: 'gpt-4o-mini' };

function azureRequest(options: Record<string, string>, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({ target: target({ provider: 'azure-openai', apiKey: 'azure-key', options }), ...overrides });
}

async function callWith(request: ProviderRequest) {
  const { fetch, calls } = recordingFetch();
  await createAzureOpenAIProvider({ fetch }).call(request);
  return calls[0]!;
}

describe('Azure OpenAI URLs and auth', () => {
  it('calls the deployment with the default api-version and the api-key header', async () => {
    const call = await callWith(azureRequest(AZURE_OPTIONS));
    expect(call.url).toBe(
      `https://contoso-eastus.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=${DEFAULT_AZURE_API_VERSION}`,
    );
    expect(call.headers.get('api-key')).toBe('azure-key');
    expect(call.headers.get('authorization')).toBeNull();
  });

  it('sends an Entra ID token as a Bearer token', async () => {
    const call = await callWith(azureRequest({ ...AZURE_OPTIONS, azure_auth_mode: 'entra' }));
    expect(call.headers.get('authorization')).toBe('Bearer azure-key');
    expect(call.headers.get('api-key')).toBeNull();
  });

  it('merges api-version with the caller query; a configured version wins, then the caller, then the default', async () => {
    const configured = await callWith(
      azureRequest({ ...AZURE_OPTIONS, api_version: '2025-04-01-preview' }, { path: '/embeddings', endpoint: 'embeddings', search: '?api-version=2023-05-15&trace=1' }),
    );
    expect(configured.url).toBe(
      'https://contoso-eastus.openai.azure.com/openai/deployments/gpt-4o-mini/embeddings?api-version=2025-04-01-preview&trace=1',
    );
    const callers = await callWith(azureRequest(AZURE_OPTIONS, { search: '?api-version=2024-06-01' }));
    expect(callers.url).toBe(
      'https://contoso-eastus.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01',
    );
  });

  it('lists models at the resource level, without a deployment', async () => {
    const call = await callWith(
      azureRequest({ resource_name: 'contoso-eastus' }, { endpoint: 'models.list', method: 'GET', path: '/models', body: undefined }),
    );
    expect(call.url).toBe(`https://contoso-eastus.openai.azure.com/openai/models?api-version=${DEFAULT_AZURE_API_VERSION}`);
    expect(call.body).toBeUndefined();
  });

  it('sends passthrough calls such as files to the resource, not a deployment', async () => {
    const call = await callWith(
      azureRequest({ resource_name: 'contoso-eastus' }, { endpoint: 'passthrough', method: 'GET', path: '/files/file-1', body: undefined }),
    );
    expect(call.url).toBe(`https://contoso-eastus.openai.azure.com/openai/files/file-1?api-version=${DEFAULT_AZURE_API_VERSION}`);
  });

  it('names the missing setting and its header', async () => {
    const { fetch, calls } = recordingFetch();
    const azure = createAzureOpenAIProvider({ fetch });
    const missingResource = azure.call(azureRequest({ deployment_id: 'gpt-4o-mini' }));
    await expect(missingResource).rejects.toBeInstanceOf(BadRequestError);
    await expect(missingResource).rejects.toThrow(/resource_name.*x-portkey-azure-resource-name/);
    await expect(azure.call(azureRequest({ resource_name: 'contoso-eastus' }))).rejects.toThrow(
      /deployment_id.*x-portkey-azure-deployment-id/,
    );
    expect(calls).toHaveLength(0);
  });

  it('refuses a resource name that would point the key at another host', async () => {
    const { fetch, calls } = recordingFetch();
    const attempt = createAzureOpenAIProvider({ fetch }).call(azureRequest({ ...AZURE_OPTIONS, resource_name: 'evil.example#' }));
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    expect(calls).toHaveLength(0);
  });

  it('escapes the deployment id inside the path', async () => {
    const call = await callWith(azureRequest({ ...AZURE_OPTIONS, deployment_id: 'a/../b' }));
    expect(call.url).toContain('/openai/deployments/a%2F..%2Fb/chat/completions');
  });
});

describe('Azure OpenAI through custom_host', () => {
  let upstream: MockUpstream;
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('replays a recorded Azure stream, keeping the content-filter chunk and hiding the usage chunk', async () => {
    const payloads = fixtureChunks('openai/azure-model-router.1.chunks.txt');
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'apim-request-id': 'x' });
      response.end(sseFrames(payloads));
    });
    const response = await createAzureOpenAIProvider({ fetch: globalThis.fetch }).call(
      azureRequest(
        { deployment_id: 'model-router' },
        {
          body: { messages: [{ role: 'user', content: 'Capital of France?' }], stream: true },
          stream: true,
          target: target({ provider: 'azure-openai', apiKey: 'azure-key', customHost: `${upstream.origin}/`, options: { deployment_id: 'model-router' } }),
        },
      ),
    );
    const sent = upstream.requests[0]!;
    expect(sent.url).toBe(`/openai/deployments/model-router/chat/completions?api-version=${DEFAULT_AZURE_API_VERSION}`);
    expect(sent.headers['api-key']).toBe('azure-key');
    expect(JSON.parse(sent.body.toString())).toEqual({
      messages: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    if (response.kind !== 'stream') throw new Error('expected a stream');
    const usageOnly = payloads.filter((payload) => payload.includes('"choices":[]') && payload.includes('"usage":{'));
    expect(usageOnly).toHaveLength(1);
    expect(await new Response(response.body).text()).toBe(sseFrames(payloads.filter((payload) => !usageOnly.includes(payload))));
    expect((await response.outcome).usage).toEqual({
      promptTokens: 15,
      completionTokens: 78,
      totalTokens: 93,
      cachedPromptTokens: 0,
      reasoningTokens: 64,
    });
  });
});
