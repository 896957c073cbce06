import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { createBedrockClientCache } from '../../../../shared/src/providers/bedrock/bedrock-client-cache.ts';
import type { BedrockClientSettings } from '../../../../shared/src/providers/bedrock/bedrock-client-settings.ts';

function settings(region: string, secretAccessKey = 'secret'): BedrockClientSettings {
  return { region, endpoint: undefined, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey }, bearerToken: undefined };
}

describe('createBedrockClientCache', () => {
  it('creates one client per settings, tells credentials apart, and drops the least recently used', async () => {
    const made: BedrockRuntimeClientConfig[] = [];
    const cache = createBedrockClientCache((config) => {
      made.push(config);
      return { config } as unknown as BedrockRuntimeClient;
    }, 2);
    const east = await cache.get(settings('us-east-1'));
    expect(await cache.get(settings('us-east-1'))).toBe(east);
    expect(await cache.get(settings('us-east-1', 'other-secret'))).not.toBe(east);
    await cache.get(settings('us-east-1'));
    await cache.get(settings('eu-west-1'));
    // us-east-1 was used more recently than the other-secret client, so that one went.
    expect(await cache.get(settings('us-east-1'))).toBe(east);
    await cache.get(settings('us-east-1', 'other-secret'));
    expect(made.map((config) => [config.region, (config.credentials as { secretAccessKey: string }).secretAccessKey])).toEqual([
      ['us-east-1', 'secret'],
      ['us-east-1', 'other-secret'],
      ['eu-west-1', 'secret'],
      ['us-east-1', 'other-secret'],
    ]);
  });
});
