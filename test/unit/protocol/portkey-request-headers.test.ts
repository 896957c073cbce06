import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../shared/src/core/gateway-error.ts';
import { parsePortkeyRequestHeaders } from '../../../shared/src/protocol/portkey-request-headers.ts';

const parse = (headers: Record<string, string>) => parsePortkeyRequestHeaders(new Headers(headers));

describe('parsePortkeyRequestHeaders', () => {
  it('reads every protocol header', () => {
    const parsed = parse({
      'x-portkey-provider': 'openai',
      'x-portkey-config': '{"retry":{"attempts":2}}',
      'x-portkey-virtual-key': 'openai-prod',
      'x-portkey-api-key': 'tpk_abc',
      'x-portkey-trace-id': 'trace-123',
      'x-portkey-metadata': '{"team":"search","tier":2,"beta":true}',
      'x-portkey-cache-force-refresh': 'true',
      'x-portkey-request-timeout': '1500',
      'x-portkey-forward-headers': 'X-Team, x-user-id',
      'x-portkey-custom-host': 'http://127.0.0.1:9999/v1',
      'x-portkey-azure-resource-name': 'res',
      'x-portkey-azure-deployment-id': 'dep',
      'x-portkey-azure-api-version': '2024-10-21',
      'x-portkey-aws-region': 'eu-west-1',
    });
    expect(parsed).toEqual({
      provider: 'openai',
      config: '{"retry":{"attempts":2}}',
      virtualKey: 'openai-prod',
      gatewayApiKey: 'tpk_abc',
      providerApiKey: undefined,
      traceId: 'trace-123',
      metadata: { team: 'search', tier: '2', beta: 'true' },
      cacheForceRefresh: true,
      requestTimeoutMs: 1500,
      forwardHeaders: ['x-team', 'x-user-id'],
      customHost: 'http://127.0.0.1:9999/v1',
      providerOptions: { resource_name: 'res', deployment_id: 'dep', api_version: '2024-10-21', aws_region: 'eu-west-1' },
    });
  });

  it('treats a prefixed Bearer token as the gateway key and any other as the caller provider key', () => {
    expect(parse({ authorization: 'Bearer tpk_live_123' })).toMatchObject({ gatewayApiKey: 'tpk_live_123', providerApiKey: undefined });
    expect(parse({ authorization: 'Bearer sk-proj-abc' })).toMatchObject({ gatewayApiKey: undefined, providerApiKey: 'sk-proj-abc' });
    expect(parse({ authorization: 'Bearer sk-abc', 'x-portkey-api-key': 'tpk_1' })).toMatchObject({ gatewayApiKey: 'tpk_1', providerApiKey: 'sk-abc' });
  });

  it('reads x-api-key (how the Anthropic SDKs send their key) like a Bearer token, Authorization first', () => {
    expect(parse({ 'x-api-key': 'sk-ant-abc' })).toMatchObject({ gatewayApiKey: undefined, providerApiKey: 'sk-ant-abc' });
    expect(parse({ 'x-api-key': 'tpk_live_9' })).toMatchObject({ gatewayApiKey: 'tpk_live_9', providerApiKey: undefined });
    expect(parse({ authorization: 'Bearer sk-1', 'x-api-key': 'sk-2' })).toMatchObject({ providerApiKey: 'sk-1' });
  });

  it('reads the span headers, dropping malformed ids rather than refusing the request', () => {
    expect(parse({ 'x-portkey-span-id': 'span-2', 'x-portkey-parent-span-id': 'span-1', 'x-portkey-span-name': 'Answer\tthe user' })).toMatchObject({
      spanId: 'span-2',
      parentSpanId: 'span-1',
      spanName: 'Answerthe user',
    });
    const odd = parse({ 'x-portkey-span-id': 'has space', 'x-portkey-parent-span-id': 'x'.repeat(200), 'x-portkey-span-name': 'n'.repeat(300) });
    expect(odd).toMatchObject({ spanId: undefined, parentSpanId: undefined });
    expect(odd.spanName).toHaveLength(256);
  });

  it('ignores unknown x-portkey headers and empty values', () => {
    const parsed = parse({ 'x-portkey-mode': 'proxy openai', 'x-portkey-provider': '  ', 'x-portkey-span-name': 'x' });
    expect(parsed.provider).toBeUndefined();
    expect(parsed.metadata).toEqual({});
    expect(parsed.cacheForceRefresh).toBe(false);
  });

  it.each([
    ['x-portkey-metadata', 'not json', 'invalid_metadata'],
    ['x-portkey-metadata', '["a"]', 'invalid_metadata'],
    ['x-portkey-metadata', '{"nested":{"a":1}}', 'invalid_metadata'],
    ['x-portkey-request-timeout', '-5', 'invalid_request_timeout'],
    ['x-portkey-request-timeout', 'soon', 'invalid_request_timeout'],
    ['x-portkey-trace-id', 'has spaces in it', 'invalid_trace_id'],
    ['x-portkey-trace-id', 'x'.repeat(200), 'invalid_trace_id'],
  ])('refuses %s = %s with a 400', (header, value, code) => {
    let thrown: unknown;
    try {
      parse({ [header]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadRequestError);
    expect(thrown).toMatchObject({ status: 400, code, param: header });
  });
});
