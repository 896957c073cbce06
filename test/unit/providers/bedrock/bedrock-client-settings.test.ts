import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import { bedrockClientConfig } from '../../../../shared/src/providers/bedrock/bedrock-client-cache.ts';
import { resolveBedrockClientSettings } from '../../../../shared/src/providers/bedrock/bedrock-client-settings.ts';
import { loadBedrockSdk } from '../../../../shared/src/providers/bedrock/bedrock-sdk.ts';
import { target } from '../../../support/mock-upstream.ts';

const KEYS = { aws_access_key_id: 'AKIDTEST', aws_secret_access_key: 'secret' };

describe('resolveBedrockClientSettings', () => {
  it('takes region and static keys from the target', () => {
    expect(
      resolveBedrockClientSettings(target({ provider: 'bedrock', options: { aws_region: 'eu-central-1', ...KEYS, aws_session_token: 'tok' } }), 'us-east-1'),
    ).toEqual({
      region: 'eu-central-1',
      endpoint: undefined,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'tok' },
      bearerToken: undefined,
    });
  });

  it('falls back to the runtime region and the default credential chain (the Lambda role)', () => {
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', apiKey: 'sk-not-a-bedrock-key' }), 'us-west-2')).toEqual({
      region: 'us-west-2',
      endpoint: undefined,
      credentials: undefined,
      bearerToken: undefined,
    });
  });

  it('uses a Bedrock API key as a bearer token only when no AWS keys are set', () => {
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', apiKey: 'bedrock-api-key-abc' }), 'us-east-1').bearerToken).toBe('bedrock-api-key-abc');
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', apiKey: 'ABSKxyz', options: KEYS }), 'us-east-1').bearerToken).toBeUndefined();
  });

  it('reads AWS keys and region stored as JSON in a virtual key, below keys in the target options', () => {
    const secret = JSON.stringify({ aws_access_key_id: 'AKIDVAULT', aws_secret_access_key: 'vault-secret', aws_region: 'ap-southeast-2' });
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', apiKey: secret }), 'us-east-1')).toEqual({
      region: 'ap-southeast-2',
      endpoint: undefined,
      credentials: { accessKeyId: 'AKIDVAULT', secretAccessKey: 'vault-secret' },
      bearerToken: undefined,
    });
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', apiKey: secret, options: { aws_region: 'us-east-2', ...KEYS } }), undefined)).toMatchObject({
      region: 'us-east-2',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
  });

  it('uses custom_host as the endpoint', () => {
    expect(resolveBedrockClientSettings(target({ provider: 'bedrock', customHost: 'http://127.0.0.1:9999/' }), 'us-east-1').endpoint).toBe('http://127.0.0.1:9999');
  });

  it.each([
    [{}, undefined, 'missing_aws_region'],
    [{ aws_region: 'us-east-1.evil.example' }, undefined, 'invalid_aws_region'],
    [{ aws_region: 'us-east-1', aws_access_key_id: 'AKIDTEST' }, undefined, 'incomplete_aws_credentials'],
  ])('refuses %j with a 400', (options, defaultRegion, code) => {
    let caught: unknown;
    try {
      resolveBedrockClientSettings(target({ provider: 'bedrock', options }), defaultRegion);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).code).toBe(code);
  });
});

describe('bedrockClientConfig', () => {
  it('keeps the SDK default (HTTP/2) handler for AWS and uses HTTP/1.1 for a custom host', async () => {
    const sdk = await loadBedrockSdk();
    const aws = bedrockClientConfig({ region: 'us-east-1', endpoint: undefined, credentials: undefined, bearerToken: undefined }, sdk);
    expect(aws).toEqual({ region: 'us-east-1', maxAttempts: 1 });
    const custom = bedrockClientConfig({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: undefined, bearerToken: 'ABSK1' }, sdk);
    expect(custom.endpoint).toBe('http://127.0.0.1:1');
    expect(custom.requestHandler?.constructor.name).toBe('NodeHttpHandler');
    expect(custom.token).toEqual({ token: 'ABSK1' });
    expect(custom.authSchemePreference).toEqual(['httpBearerAuth']);
  });
});
