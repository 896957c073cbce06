import type { Clock } from '../../ports/clock.ts';
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleSpec,
} from '../openai-compatible/openai-compatible-provider.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../provider-model.ts';
import { optionsForAttempt, readMockOptions } from './mock-fault-options.ts';
import { createMockServerFetch, MOCK_BASE_URL } from './mock-server.ts';

export const MOCK_PROVIDER_ID = 'mock';

/**
 * The mock as a member of the OpenAI-compatible family. It always resolves to its own base
 * URL (a `custom_host` cannot send it elsewhere) and needs no credential.
 */
export const MOCK_PROVIDER_SPEC: OpenAICompatibleSpec = {
  id: MOCK_PROVIDER_ID,
  baseUrl: () => MOCK_BASE_URL,
  resolveUrl: (request) => `${MOCK_BASE_URL}${request.path}${request.search}`,
  authenticate: () => {},
  requiresApiKey: false,
  supportsStreamUsage: true,
};

/**
 * The built-in `mock` provider, for demos, tests and dry runs of a config: an in-process
 * OpenAI-compatible server with fault injection, reached through the same code as real
 * providers, with no network. Options come from a `mock` object in the body or from
 * `mock_*` metadata keys (see MockOptions); a wrong option is a 400 naming it.
 *
 * @example
 * // Fail the first attempt with 429 and a Retry-After of 1 s, then answer normally:
 * // override_params: { mock: { status: 429, retry_after: 1, fail_attempts: 1 } }
 */
export function createMockProvider(deps: { clock: Clock }): ProviderModel {
  const now = (): number => deps.clock.now();
  return {
    id: MOCK_PROVIDER_ID,
    requiresApiKey: false,
    async call(request: ProviderRequest): Promise<ProviderResponse> {
      const { options, body } = readMockOptions(request.body, request.metadata);
      const fetch = createMockServerFetch(deps, optionsForAttempt(options, request.attempt));
      return createOpenAICompatibleProvider(MOCK_PROVIDER_SPEC, { fetch, now }).call({ ...request, body });
    },
  };
}
