import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../shared/src/core/gateway-error.ts';
import { maxTargetDepth, validateGatewayConfig } from '../../../shared/src/protocol/validate-gateway-config.ts';

function rejection(input: unknown): InvalidConfigError {
  try {
    validateGatewayConfig(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

/** `param` and `message` of the rejection, the two things a caller sees. */
function reported(input: unknown): { param: string | null; message: string } {
  const error = rejection(input);
  return { param: error.param, message: error.message };
}

describe('validateGatewayConfig: valid configs', () => {
  it('returns the parsed config', () => {
    const config = {
      strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.plan': 'paid' }, then: 'premium' }], default: 'basic' },
      targets: [
        { name: 'premium', provider: 'openai' },
        { name: 'basic', strategy: { mode: 'loadbalance' }, targets: [{ provider: 'groq', weight: 0 }, { provider: 'openai' }] },
      ],
    };
    expect(validateGatewayConfig(config)).toEqual(config);
  });

  it('accepts an empty config and single mode without targets', () => {
    expect(validateGatewayConfig({})).toEqual({});
    expect(validateGatewayConfig({ strategy: { mode: 'single' }, provider: 'openai' })).toEqual({
      strategy: { mode: 'single' },
      provider: 'openai',
    });
  });

  it('accepts a conditional strategy with only a default, or only conditions', () => {
    expect(() => validateGatewayConfig({ strategy: { mode: 'conditional', default: 'a' }, targets: [{ name: 'a' }] })).not.toThrow();
    expect(() =>
      validateGatewayConfig({
        strategy: { mode: 'conditional', conditions: [{ query: { 'url.pathname': { $regex: '^/v1/embeddings' } }, then: 'a' }] },
        targets: [{ name: 'a' }, { name: 'b' }],
      }),
    ).not.toThrow();
  });

  it('accepts the same name in different sibling groups', () => {
    expect(() =>
      validateGatewayConfig({
        strategy: { mode: 'fallback' },
        targets: [
          { name: 'a', strategy: { mode: 'fallback' }, targets: [{ name: 'x' }, { name: 'y' }] },
          { name: 'b', strategy: { mode: 'fallback' }, targets: [{ name: 'x' }, { name: 'y' }] },
        ],
      }),
    ).not.toThrow();
  });

  it('accepts targets nested up to the depth limit', () => {
    let config: Record<string, unknown> = { provider: 'openai' };
    for (let level = 0; level < maxTargetDepth; level += 1) config = { strategy: { mode: 'fallback' }, targets: [config] };
    expect(() => validateGatewayConfig(config)).not.toThrow();
  });
});

describe('validateGatewayConfig: schema problems', () => {
  it('reports a wrong type with the Portkey path in param and message', () => {
    const error = rejection({ targets: [{ provider: 'openai' }, { retry: { attempts: '3' } }] });
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_config');
    expect(error.param).toBe('config.targets[1].retry.attempts');
    expect(error.message).toBe('Invalid config: targets[1].retry.attempts: expected number, received string');
  });

  it('reports a config that is not an object at the root', () => {
    expect(reported('fallback')).toEqual({ param: 'config', message: 'Invalid config: expected object, received string' });
    expect(reported(null)).toEqual({ param: 'config', message: 'Invalid config: expected object, received null' });
  });

  it('points an unknown key at the key itself', () => {
    expect(reported({ modle: 'gpt-4o' })).toEqual({ param: 'config.modle', message: 'Invalid config: modle: unknown key' });
    expect(reported({ targets: [{ provider: 'openai', retries: 3 }] })).toEqual({
      param: 'config.targets[0].retries',
      message: 'Invalid config: targets[0].retries: unknown key',
    });
  });

  it('counts the issues it does not spell out', () => {
    expect(reported({ modle: 'x', strem: true })).toEqual({
      param: 'config.modle',
      message: 'Invalid config: modle: unknown key (and 1 more issue)',
    });
    expect(rejection({ a: 1, b: 2, c: 3 }).message).toBe('Invalid config: a: unknown key (and 2 more issues)');
  });

  it('says a required field is missing', () => {
    expect(reported({ retry: {} })).toEqual({
      param: 'config.retry.attempts',
      message: 'Invalid config: retry.attempts: required: expected number',
    });
  });

  it('words ranges and enums plainly', () => {
    expect(rejection({ retry: { attempts: 11 } }).message).toBe('Invalid config: retry.attempts: must be <= 10');
    expect(rejection({ retry: { attempts: 1.5 } }).message).toBe('Invalid config: retry.attempts: expected integer, received 1.5');
    expect(rejection({ retry: { attempts: 1, on_status_codes: [429, 99] } }).message).toBe(
      'Invalid config: retry.on_status_codes[1]: must be >= 100',
    );
    expect(rejection({ request_timeout: 0 }).message).toBe('Invalid config: request_timeout: must be > 0');
    expect(rejection({ targets: [{ weight: -1 }] }).message).toBe('Invalid config: targets[0].weight: must be >= 0');
    expect(rejection({ targets: [] }).message).toBe('Invalid config: targets: expected at least 1 item');
    expect(rejection({ targets: [{ name: '' }] }).message).toBe('Invalid config: targets[0].name: must not be empty');
    expect(rejection({ strategy: { mode: 'round-robin' } }).message).toBe(
      'Invalid config: strategy.mode: expected one of "single", "fallback", "loadbalance", "conditional"',
    );
  });

  it('passes on the messages the schema words itself', () => {
    expect(reported({ targets: [{ output_guardrails: [{ type: 'mutator', checks: [{ id: 'default.notNull' }] }] }] })).toEqual({
      param: 'config.targets[0].output_guardrails[0].type',
      message: 'Invalid config: targets[0].output_guardrails[0].type: only "guardrail" hooks are supported',
    });
    expect(rejection({ forward_headers: ['ok', 'not ok'] }).message).toBe(
      'Invalid config: forward_headers[1]: must be a valid HTTP header name',
    );
    expect(rejection({ custom_host: 'file:///etc/passwd' }).message).toBe(
      'Invalid config: custom_host: must be an http or https URL',
    );
  });

  it('quotes keys that a dot would make ambiguous', () => {
    expect(reported({ override_params: {}, 'x.y': 1 })).toEqual({ param: 'config["x.y"]', message: 'Invalid config: ["x.y"]: unknown key' });
  });

  it('refuses targets nested beyond the depth limit without overflowing the stack', () => {
    let config: Record<string, unknown> = { provider: 'openai' };
    for (let level = 0; level < 5_000; level += 1) config = { strategy: { mode: 'fallback' }, targets: [config] };
    const error = rejection(config);
    expect(error.message).toMatch(new RegExp(`^Invalid config: (targets\\[0\\]\\.){${maxTargetDepth}}targets: targets are nested deeper than ${maxTargetDepth} levels$`));
    expect(error.param).toBe(`config.${'targets[0].'.repeat(maxTargetDepth)}targets`);
  });
});

describe('validateGatewayConfig: semantic checks', () => {
  it.each(['fallback', 'loadbalance', 'conditional'])('requires targets for strategy mode %s', (mode) => {
    const config = mode === 'conditional' ? { strategy: { mode, default: 'a' } } : { strategy: { mode } };
    expect(reported(config)).toEqual({
      param: 'config.targets',
      message: `Invalid config: targets: required when strategy.mode is "${mode}"`,
    });
  });

  it('requires conditions or a default for a conditional strategy', () => {
    expect(reported({ strategy: { mode: 'conditional' }, targets: [{ name: 'a' }] })).toEqual({
      param: 'config.strategy',
      message: 'Invalid config: strategy: conditional strategy needs conditions or a default',
    });
    expect(rejection({ strategy: { mode: 'conditional', conditions: [] }, targets: [{ name: 'a' }] }).param).toBe('config.strategy');
  });

  it('requires every then to name a direct target', () => {
    expect(
      reported({
        strategy: {
          mode: 'conditional',
          conditions: [
            { query: { 'metadata.plan': 'paid' }, then: 'premium' },
            { query: { 'metadata.plan': 'free' }, then: 'cheap' },
          ],
        },
        targets: [{ name: 'premium' }, { name: 'basic', strategy: { mode: 'fallback' }, targets: [{ name: 'cheap' }] }],
      }),
    ).toEqual({
      param: 'config.strategy.conditions[1].then',
      message: 'Invalid config: strategy.conditions[1].then: no target named "cheap"; expected one of "premium", "basic"',
    });
  });

  it('requires the default to name a direct target', () => {
    expect(reported({ strategy: { mode: 'conditional', default: 'b' }, targets: [{ provider: 'openai' }] })).toEqual({
      param: 'config.strategy.default',
      message: 'Invalid config: strategy.default: no target named "b"; no target has a name',
    });
  });

  it('validates condition queries with the exact path of the bad part', () => {
    expect(
      reported({
        strategy: {
          mode: 'conditional',
          conditions: [{ query: { $or: [{ 'metadata.a': 'b' }, { $foo: 1 }] }, then: 'a' }],
        },
        targets: [{ name: 'a' }],
      }),
    ).toEqual({
      param: 'config.strategy.conditions[0].query.$or[1]',
      message: 'Invalid config: strategy.conditions[0].query.$or[1]: unknown operator $foo',
    });
    expect(
      rejection({
        strategy: { mode: 'conditional', conditions: [{ query: { 'params.model': { $regex: '(a+)+$' } }, then: 'a' }] },
        targets: [{ name: 'a' }],
      }).param,
    ).toBe('config.strategy.conditions[0].query["params.model"].$regex');
  });

  it('requires a positive weight among loadbalance targets, counting an absent weight as 1', () => {
    expect(reported({ strategy: { mode: 'loadbalance' }, targets: [{ weight: 0 }, { weight: 0 }] })).toEqual({
      param: 'config.targets',
      message: 'Invalid config: targets: loadbalance needs at least one target with a positive weight',
    });
    expect(() => validateGatewayConfig({ strategy: { mode: 'loadbalance' }, targets: [{ weight: 0 }, {}] })).not.toThrow();
  });

  it('requires sibling target names to be unique', () => {
    expect(reported({ strategy: { mode: 'fallback' }, targets: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toEqual({
      param: 'config.targets[2].name',
      message: 'Invalid config: targets[2].name: duplicate target name "a"; names must be unique among sibling targets',
    });
  });

  it('checks nested targets with nested paths', () => {
    expect(
      reported({
        strategy: { mode: 'fallback' },
        targets: [{ provider: 'openai' }, { strategy: { mode: 'loadbalance' } }],
      }),
    ).toEqual({
      param: 'config.targets[1].targets',
      message: 'Invalid config: targets[1].targets: required when strategy.mode is "loadbalance"',
    });
    expect(
      reported({
        strategy: { mode: 'fallback' },
        targets: [
          { provider: 'openai' },
          { strategy: { mode: 'conditional', default: 'missing' }, targets: [{ name: 'x' }] },
        ],
      }).param,
    ).toBe('config.targets[1].strategy.default');
  });

  it('reports a parent problem before a child problem and counts both', () => {
    expect(
      rejection({
        strategy: { mode: 'loadbalance' },
        targets: [{ weight: 0, strategy: { mode: 'fallback' } }],
      }).message,
    ).toBe('Invalid config: targets: loadbalance needs at least one target with a positive weight (and 1 more issue)');
  });
});
