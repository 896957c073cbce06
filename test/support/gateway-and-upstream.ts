import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type MockUpstream, startMockUpstream } from './mock-upstream.ts';
import { startTestGateway, type TestGateway } from './start-test-gateway.ts';

export interface GatewayAndUpstream {
  gateway: TestGateway;
  upstream: MockUpstream;
}

/**
 * One test gateway and one mock upstream for a test file: started before its tests (`ready`
 * gets them), closed after them, and between tests the upstream's scripted replies and the
 * gateway's log records are cleared.
 */
export function useGatewayAndUpstream(ready: (parts: GatewayAndUpstream) => void): void {
  let parts: GatewayAndUpstream | undefined;
  beforeAll(async () => {
    const [gateway, upstream] = await Promise.all([startTestGateway(), startMockUpstream()]);
    parts = { gateway, upstream };
    ready(parts);
  });
  afterAll(async () => {
    if (parts !== undefined) await Promise.all([parts.gateway.close(), parts.upstream.close()]);
  });
  beforeEach(() => {
    parts?.upstream.reset();
    if (parts !== undefined) parts.gateway.records.length = 0;
  });
}

export interface OpenAIClientRoute {
  /** What the SDK sends as its key (the caller's provider key, or a stand-in). */
  apiKey: string;
  /** `x-portkey-provider`. */
  provider: string;
  /** Appended to the upstream's origin for `x-portkey-custom-host`. @default '' */
  upstreamPath?: string;
  /** More default headers. */
  headers?: Record<string, string>;
}

/** An openai SDK client on the gateway, routed to the mock upstream as `provider`, without SDK retries. */
export function openAIClientFor({ gateway, upstream }: GatewayAndUpstream, route: OpenAIClientRoute): OpenAI {
  return new OpenAI({
    apiKey: route.apiKey,
    baseURL: gateway.baseURL,
    maxRetries: 0,
    defaultHeaders: { 'x-portkey-provider': route.provider, 'x-portkey-custom-host': `${upstream.origin}${route.upstreamPath ?? ''}`, ...route.headers },
  });
}
