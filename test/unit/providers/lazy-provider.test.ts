import { describe, expect, it, vi } from 'vitest';
import { createLazyProvider } from '../../../shared/src/providers/lazy-provider.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../../../shared/src/providers/provider-model.ts';
import { mockRequest } from './mock/mock-provider-harness.ts';

function answer(text: string): ProviderResponse {
  return { kind: 'complete', status: 200, headers: new Headers(), body: new TextEncoder().encode(text), usage: undefined };
}

function bodyText(response: ProviderResponse): string {
  if (response.kind !== 'complete') throw new Error(`expected a complete answer, got ${response.kind}`);
  return new TextDecoder().decode(response.body);
}

/** A provider that answers with the attempt number it was called with. */
function echoProvider(id = 'echo', requiresApiKey = true): ProviderModel {
  return { id, requiresApiKey, call: async (request: ProviderRequest) => answer(`attempt ${request.attempt}`) };
}

describe('createLazyProvider', () => {
  it('knows its id and whether it needs a key without loading anything', () => {
    const load = vi.fn(async () => echoProvider());
    const provider = createLazyProvider('echo', true, load);
    expect(provider).toMatchObject({ id: 'echo', requiresApiKey: true });
    expect(load).not.toHaveBeenCalled();
  });

  it('loads on the first call and hands the request to the loaded provider', async () => {
    const load = vi.fn(async () => echoProvider());
    const provider = createLazyProvider('echo', true, load);
    expect(bodyText(await provider.call(mockRequest({ attempt: 2 })))).toBe('attempt 2');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads once for calls that arrive together and for every later call', async () => {
    const load = vi.fn(async () => echoProvider());
    const provider = createLazyProvider('echo', true, load);
    const answers = await Promise.all([0, 1, 2].map((attempt) => provider.call(mockRequest({ attempt }))));
    expect(answers.map(bodyText)).toEqual(['attempt 0', 'attempt 1', 'attempt 2']);
    await provider.call(mockRequest({ attempt: 3 }));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries the load again on the next call after a failed one', async () => {
    const load = vi.fn<() => Promise<ProviderModel>>().mockRejectedValueOnce(new Error('chunk missing')).mockResolvedValue(echoProvider());
    const provider = createLazyProvider('echo', true, load);
    await expect(provider.call(mockRequest())).rejects.toThrow('chunk missing');
    expect(bodyText(await provider.call(mockRequest()))).toBe('attempt 0');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('refuses a loaded provider whose id or key requirement differs from what it was registered with', async () => {
    await expect(createLazyProvider('echo', true, async () => echoProvider('other', true)).call(mockRequest())).rejects.toThrow(
      'Provider "echo" (requiresApiKey true) loaded as "other" (requiresApiKey true).',
    );
    await expect(createLazyProvider('echo', false, async () => echoProvider('echo', true)).call(mockRequest())).rejects.toThrow(
      'loaded as "echo" (requiresApiKey true)',
    );
  });

  it('passes the loaded provider’s errors on as they are', async () => {
    const failure = new Error('upstream said no');
    const provider = createLazyProvider('echo', true, async () => ({ id: 'echo', requiresApiKey: true, call: () => Promise.reject(failure) }));
    await expect(provider.call(mockRequest())).rejects.toBe(failure);
  });
});
