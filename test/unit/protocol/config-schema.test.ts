import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from '../../../shared/src/protocol/config-schema.ts';

/** The issues of a rejected config as `path: message` lines, the form tests compare. */
function issuesOf(input: unknown): string[] {
  const result = gatewayConfigSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
}

function firstIssue(input: unknown) {
  const result = gatewayConfigSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  const issue = result.error.issues[0];
  if (issue === undefined) throw new Error('no issue');
  return issue;
}

describe('gatewayConfigSchema: accepted configs', () => {
  it('accepts an empty config and a single provider', () => {
    expect(gatewayConfigSchema.parse({})).toEqual({});
    expect(gatewayConfigSchema.parse({ provider: 'openai', api_key: 'sk-test' })).toEqual({ provider: 'openai', api_key: 'sk-test' });
  });

  it.each(['single', 'fallback', 'loadbalance', 'conditional'] as const)('accepts strategy mode %s', (mode) => {
    const config = { strategy: { mode }, targets: [{ provider: 'openai', name: 'a' }] };
    expect(gatewayConfigSchema.parse(config)).toEqual(config);
  });

  it('accepts every documented field', () => {
    const config = {
      strategy: {
        mode: 'conditional',
        on_status_codes: [429, 500],
        conditions: [{ query: { 'metadata.plan': { $eq: 'paid' } }, then: 'premium' }],
        default: 'basic',
      },
      retry: { attempts: 3, on_status_codes: [429, 503], use_retry_after_header: true },
      request_timeout: 30_000,
      cache: { mode: 'semantic', max_age: 3600 },
      forward_headers: ['x-request-id', 'X-Custom_Header'],
      override_params: { temperature: 0.2, max_tokens: 100 },
      targets: [
        { name: 'premium', provider: 'azure-openai', resource_name: 'r', deployment_id: 'd', api_version: '2024-06-01', azure_auth_mode: 'api_key' },
        { name: 'basic', provider: 'bedrock', aws_region: 'eu-west-1', aws_access_key_id: 'AKIA', aws_secret_access_key: 's', aws_session_token: 't' },
        { name: 'workers', provider: 'workers-ai', workers_ai_account_id: 'acc' },
        { name: 'claude', provider: 'anthropic', anthropic_version: '2023-06-01', anthropic_beta: 'prompt-caching-2024-07-31' },
        { name: 'vk', virtual_key: 'vk-123', weight: 0.5, custom_host: 'http://ollama.internal:11434/v1' },
      ],
    };
    expect(gatewayConfigSchema.parse(config)).toEqual(config);
  });

  it('accepts nested targets with their own strategies', () => {
    const config = {
      strategy: { mode: 'fallback', on_status_codes: [429] },
      targets: [
        {
          strategy: { mode: 'loadbalance' },
          targets: [
            { provider: 'openai', weight: 0.7 },
            { provider: 'openai', weight: 0.3, override_params: { model: 'gpt-4o-mini' } },
          ],
        },
        { provider: 'anthropic', retry: { attempts: 2 } },
      ],
    };
    expect(gatewayConfigSchema.parse(config)).toEqual(config);
  });
});

describe('gatewayConfigSchema: rejected configs', () => {
  it('rejects a config that is not an object', () => {
    expect(issuesOf('fallback')).toEqual([': Invalid input: expected object, received string']);
    expect(issuesOf([])).toEqual([': Invalid input: expected object, received array']);
  });

  it('rejects an unknown key with its path', () => {
    expect(issuesOf({ modle: 'gpt-4o' })).toEqual([': Unrecognized key: "modle"']);
    const issue = firstIssue({ targets: [{ provider: 'openai' }, { provider: 'openai', retries: 3 }] });
    expect(issue.code).toBe('unrecognized_keys');
    expect(issue.path).toEqual(['targets', 1]);
    expect(issue.code === 'unrecognized_keys' && issue.keys).toEqual(['retries']);
  });

  it('rejects unknown keys in nested objects', () => {
    expect(firstIssue({ retry: { attempts: 1, backoff: 2 } }).path).toEqual(['retry']);
    expect(firstIssue({ strategy: { mode: 'fallback', conditons: [] } }).path).toEqual(['strategy']);
    expect(firstIssue({ cache: { mode: 'simple', ttl: 5 } }).path).toEqual(['cache']);
    expect(firstIssue({ strategy: { mode: 'conditional', conditions: [{ query: {}, then: 'a', else: 'b' }] } }).path).toEqual([
      'strategy',
      'conditions',
      0,
    ]);
  });

  it('reports wrong types with their paths', () => {
    expect(issuesOf({ targets: [{ provider: 'openai' }, { retry: { attempts: '3' } }] })).toEqual([
      'targets.1.retry.attempts: Invalid input: expected number, received string',
    ]);
    expect(firstIssue({ provider: 5 }).path).toEqual(['provider']);
    expect(firstIssue({ targets: { provider: 'openai' } }).path).toEqual(['targets']);
    expect(firstIssue({ strategy: { mode: 'conditional', conditions: [{ query: [], then: 'a' }] } }).path).toEqual([
      'strategy',
      'conditions',
      0,
      'query',
    ]);
    expect(firstIssue({ override_params: 'x' }).path).toEqual(['override_params']);
    expect(firstIssue({ request_timeout: 1.5 }).path).toEqual(['request_timeout']);
  });

  it('rejects an unknown strategy mode and a missing one', () => {
    expect(firstIssue({ strategy: { mode: 'round-robin' } })).toMatchObject({ code: 'invalid_value', path: ['strategy', 'mode'] });
    expect(firstIssue({ strategy: {} })).toMatchObject({ code: 'invalid_value', path: ['strategy', 'mode'] });
  });

  it('bounds retry attempts to 0..10 whole numbers', () => {
    expect(gatewayConfigSchema.safeParse({ retry: { attempts: 0 } }).success).toBe(true);
    expect(gatewayConfigSchema.safeParse({ retry: { attempts: 10 } }).success).toBe(true);
    expect(firstIssue({ retry: { attempts: 11 } })).toMatchObject({ code: 'too_big', path: ['retry', 'attempts'] });
    expect(firstIssue({ retry: { attempts: -1 } })).toMatchObject({ code: 'too_small', path: ['retry', 'attempts'] });
    expect(firstIssue({ retry: { attempts: 2.5 } }).path).toEqual(['retry', 'attempts']);
    expect(firstIssue({ retry: {} }).path).toEqual(['retry', 'attempts']);
  });

  it('bounds status codes to 100..599', () => {
    expect(gatewayConfigSchema.safeParse({ retry: { attempts: 1, on_status_codes: [100, 599] } }).success).toBe(true);
    expect(firstIssue({ retry: { attempts: 1, on_status_codes: [429, 99] } })).toMatchObject({
      code: 'too_small',
      path: ['retry', 'on_status_codes', 1],
    });
    expect(firstIssue({ strategy: { mode: 'fallback', on_status_codes: [600] } })).toMatchObject({
      code: 'too_big',
      path: ['strategy', 'on_status_codes', 0],
    });
    expect(firstIssue({ strategy: { mode: 'fallback', on_status_codes: ['429'] } }).path).toEqual(['strategy', 'on_status_codes', 0]);
  });

  it('takes guardrail lists under every name Portkey uses, and leaves their entries to the guardrail validation', () => {
    for (const field of ['input_guardrails', 'output_guardrails', 'before_request_hooks', 'after_request_hooks', 'beforeRequestHooks', 'afterRequestHooks']) {
      expect(gatewayConfigSchema.safeParse({ [field]: ['pii-check', { 'default.contains': { words: ['x'] } }] }).success).toBe(true);
    }
    expect(issuesOf({ input_guardrails: 'pii-check' })).toEqual(['input_guardrails: Invalid input: expected array, received string']);
    expect(issuesOf({ targets: [{ output_guardrails: new Array(21).fill('x') }] })).toEqual(['targets.0.output_guardrails: Too big: expected array to have <=20 items']);
  });

  it('rejects a negative weight and accepts zero', () => {
    expect(gatewayConfigSchema.safeParse({ targets: [{ weight: 0 }] }).success).toBe(true);
    expect(firstIssue({ targets: [{ weight: 1 }, { weight: -0.5 }] })).toMatchObject({ code: 'too_small', path: ['targets', 1, 'weight'] });
  });

  it('rejects invalid header names in forward_headers', () => {
    for (const name of ['bad header', 'x-bad:', '', 'ümlaut', 'a\nb']) {
      const issue = firstIssue({ forward_headers: ['x-ok', name] });
      expect(issue.path).toEqual(['forward_headers', 1]);
      expect(issue.message).toBe('must be a valid HTTP header name');
    }
  });

  it('requires custom_host to be an http or https URL', () => {
    expect(gatewayConfigSchema.safeParse({ custom_host: 'https://llm.example.com/v1' }).success).toBe(true);
    for (const value of ['not a url', 'llm.example.com', 'ftp://llm.example.com', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(issuesOf({ custom_host: value })).toEqual(['custom_host: must be an http or https URL']);
    }
    expect(firstIssue({ custom_host: 42 }).path).toEqual(['custom_host']);
  });

  it('rejects an empty targets array and empty names', () => {
    expect(firstIssue({ targets: [] })).toMatchObject({ code: 'too_small', path: ['targets'] });
    expect(firstIssue({ targets: [{ name: '' }] }).path).toEqual(['targets', 0, 'name']);
    expect(firstIssue({ strategy: { mode: 'conditional', default: '' } }).path).toEqual(['strategy', 'default']);
  });

  it('rejects bad cache settings', () => {
    expect(firstIssue({ cache: { mode: 'lru' } })).toMatchObject({ code: 'invalid_value', path: ['cache', 'mode'] });
    expect(firstIssue({ cache: { mode: 'simple', max_age: 0 } })).toMatchObject({ code: 'too_small', path: ['cache', 'max_age'] });
  });

  it('rejects an unknown azure_auth_mode', () => {
    expect(firstIssue({ azure_auth_mode: 'managed' }).path).toEqual(['azure_auth_mode']);
  });
});
