import { describe, expect, it } from 'vitest';
import { BadRequestError, UpstreamError } from '../../../shared/src/core/gateway-error.ts';
import type { GatewayConfig } from '../../../shared/src/protocol/config-schema.ts';
import { buildTargetTree } from '../../../shared/src/routing/build-target-tree.ts';
import { executeTargetTree, type RoutingContext } from '../../../shared/src/routing/execute-target-tree.ts';
import type { TargetNode, TargetSettings } from '../../../shared/src/routing/target-node.ts';

const noDefaults: TargetSettings = {
  provider: undefined,
  apiKey: undefined,
  virtualKey: undefined,
  overrideParams: undefined,
  retry: undefined,
  requestTimeoutMs: undefined,
  cache: undefined,
  customHost: undefined,
  forwardHeaders: [],
  options: {},
};

function failure(status: number): UpstreamError {
  return new UpstreamError({ provider: 'x', status, body: { error: { message: `failed ${status}`, type: 'upstream_error', code: null, param: null } } });
}

function routing(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return {
    condition: { metadata: {}, params: {}, url: { pathname: '/v1/chat/completions' } },
    random: () => 0,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Leaves answer with their path, or fail with the status given in `failures`. */
function leafCall(failures: Record<string, number>, visited: string[]) {
  return async (leaf: TargetNode): Promise<string> => {
    visited.push(leaf.path);
    const status = failures[leaf.path];
    if (status !== undefined) throw failure(status);
    return leaf.path;
  };
}

function run(config: GatewayConfig, failures: Record<string, number> = {}, context = routing()) {
  const visited: string[] = [];
  const result = executeTargetTree(buildTargetTree(config, noDefaults), context, leafCall(failures, visited));
  return { result, visited };
}

describe('executeTargetTree', () => {
  it('calls the config itself when it has no targets', async () => {
    await expect(run({ provider: 'openai' }).result).resolves.toBe('config');
  });

  it('single mode uses the first target', async () => {
    const { result } = run({ strategy: { mode: 'single' }, targets: [{ provider: 'a' }, { provider: 'b' }] });
    await expect(result).resolves.toBe('config.targets[0]');
  });

  it('falls back to the next target on any failure when on_status_codes is not set', async () => {
    const { result, visited } = run(
      { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { provider: 'b' }, { provider: 'c' }] },
      { 'config.targets[0]': 429, 'config.targets[1]': 500 },
    );
    await expect(result).resolves.toBe('config.targets[2]');
    expect(visited).toEqual(['config.targets[0]', 'config.targets[1]', 'config.targets[2]']);
  });

  it('falls back only on the listed statuses', async () => {
    const { result, visited } = run(
      { strategy: { mode: 'fallback', on_status_codes: [429] }, targets: [{ provider: 'a' }, { provider: 'b' }] },
      { 'config.targets[0]': 400 },
    );
    await expect(result).rejects.toMatchObject({ status: 400 });
    expect(visited).toEqual(['config.targets[0]']);
  });

  it('reports each failure it moves past, and not the one it throws', async () => {
    const abandoned: number[] = [];
    const { result } = run(
      { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { provider: 'b' }, { provider: 'c' }] },
      { 'config.targets[0]': 503, 'config.targets[1]': 429, 'config.targets[2]': 502 },
      routing({ onAbandoned: (error) => abandoned.push(error.status) }),
    );
    await expect(result).rejects.toMatchObject({ status: 502 });
    expect(abandoned).toEqual([503, 429]);
  });

  it('throws the last error when every fallback target fails', async () => {
    const { result } = run(
      { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { provider: 'b' }] },
      { 'config.targets[0]': 503, 'config.targets[1]': 502 },
    );
    await expect(result).rejects.toThrow('failed 502');
  });

  it('does not fall back once the caller has gone', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result, visited } = run(
      { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { provider: 'b' }] },
      { 'config.targets[0]': 503 },
      routing({ signal: controller.signal }),
    );
    await expect(result).rejects.toMatchObject({ status: 503 });
    expect(visited).toHaveLength(1);
  });

  it('load balances by weight', async () => {
    const config: GatewayConfig = { strategy: { mode: 'loadbalance' }, targets: [{ provider: 'a', weight: 0.25 }, { provider: 'b', weight: 0.75 }] };
    await expect(run(config, {}, routing({ random: () => 0.24 })).result).resolves.toBe('config.targets[0]');
    await expect(run(config, {}, routing({ random: () => 0.26 })).result).resolves.toBe('config.targets[1]');
    await expect(run(config, {}, routing({ random: () => 0.999_999 })).result).resolves.toBe('config.targets[1]');
  });

  it('never picks a zero-weight target', async () => {
    const config: GatewayConfig = { strategy: { mode: 'loadbalance' }, targets: [{ provider: 'a', weight: 0 }, { provider: 'b', weight: 1 }] };
    for (const value of [0, 0.5, 0.999]) {
      await expect(run(config, {}, routing({ random: () => value })).result).resolves.toBe('config.targets[1]');
    }
  });

  it('routes nested strategies and reports the full path', async () => {
    const config: GatewayConfig = {
      strategy: { mode: 'fallback' },
      targets: [
        { provider: 'a' },
        { strategy: { mode: 'loadbalance' }, targets: [{ provider: 'b', weight: 1 }, { provider: 'c', weight: 1 }] },
      ],
    };
    const { result } = run(config, { 'config.targets[0]': 500 }, routing({ random: () => 0.9 }));
    await expect(result).resolves.toBe('config.targets[1].targets[1]');
  });

  it('picks the conditional target whose query matches, else the default', async () => {
    const config: GatewayConfig = {
      strategy: {
        mode: 'conditional',
        conditions: [
          { query: { 'metadata.plan': { $eq: 'paid' } }, then: 'premium' },
          { query: { 'params.max_tokens': { $gt: 1000 } }, then: 'long' },
        ],
        default: 'basic',
      },
      targets: [
        { name: 'basic', provider: 'a' },
        { name: 'premium', provider: 'b' },
        { name: 'long', provider: 'c' },
      ],
    };
    const paid = routing({ condition: { metadata: { plan: 'paid' }, params: {}, url: { pathname: '/v1/chat/completions' } } });
    await expect(run(config, {}, paid).result).resolves.toBe('config.targets[1]');
    const long = routing({ condition: { metadata: {}, params: { max_tokens: 4000 }, url: { pathname: '/v1/chat/completions' } } });
    await expect(run(config, {}, long).result).resolves.toBe('config.targets[2]');
    await expect(run(config).result).resolves.toBe('config.targets[0]');
  });

  it('refuses when no condition matches and there is no default', async () => {
    const config: GatewayConfig = {
      strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.plan': 'paid' }, then: 'premium' }] },
      targets: [{ name: 'premium', provider: 'b' }],
    };
    await expect(run(config).result).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('buildTargetTree', () => {
  it('passes settings down the tree and lets children override them', () => {
    const tree = buildTargetTree(
      {
        provider: 'openai',
        api_key: 'sk-parent',
        retry: { attempts: 2 },
        request_timeout: 5_000,
        override_params: { temperature: 0.1, model: 'gpt-4o' },
        strategy: { mode: 'fallback' },
        targets: [{ override_params: { model: 'gpt-4o-mini' } }, { provider: 'groq', api_key: 'gsk', request_timeout: 1_000 }],
      },
      { ...noDefaults, forwardHeaders: ['x-team'] },
    );
    const [first, second] = tree.children;
    expect(first?.settings).toMatchObject({
      provider: 'openai',
      apiKey: 'sk-parent',
      retry: { attempts: 2 },
      requestTimeoutMs: 5_000,
      overrideParams: { temperature: 0.1, model: 'gpt-4o-mini' },
      forwardHeaders: ['x-team'],
    });
    expect(second?.settings).toMatchObject({ provider: 'groq', apiKey: 'gsk', requestTimeoutMs: 1_000 });
  });

  it('never hands one provider the credentials of another', () => {
    const tree = buildTargetTree(
      { strategy: { mode: 'fallback' }, targets: [{ provider: 'openai' }, { provider: 'groq' }] },
      { ...noDefaults, provider: 'openai', apiKey: 'sk-caller', customHost: 'https://proxy.example.com/v1' },
    );
    expect(tree.children[0]?.settings.apiKey).toBe('sk-caller');
    expect(tree.children[1]?.settings.apiKey).toBeUndefined();
    expect(tree.children[1]?.settings.customHost).toBeUndefined();
  });

  it('inherits provider options such as the Azure deployment', () => {
    const tree = buildTargetTree(
      { provider: 'azure-openai', resource_name: 'res', api_version: '2024-10-21', targets: [{ deployment_id: 'gpt4o' }] },
      { ...noDefaults, options: { aws_region: 'eu-west-1' } },
    );
    expect(tree.children[0]?.settings.options).toEqual({ aws_region: 'eu-west-1', resource_name: 'res', api_version: '2024-10-21', deployment_id: 'gpt4o' });
  });
});
