import {
  AuthenticationError,
  BadRequestError,
  ClientClosedRequestError,
  GatewayError,
  RequestTimeoutError,
} from '../core/gateway-error.ts';
import type { JsonObject } from '../core/json.ts';
import type { ProviderResponse, ResolvedTarget } from '../providers/provider-model.ts';
import { callWithRetries } from '../routing/call-with-retries.ts';
import type { TargetNode } from '../routing/target-node.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { RoutingTrace } from './gateway-response-headers.ts';
import type { PreparedRequest } from './prepare-request.ts';
import type { EndpointCall } from './messages-endpoint-call.ts';
import { withPinnedHost } from '../security/pinned-host-addresses.ts';
import type { RequestGuardrails } from './guardrail-step.ts';

/** The body a target's provider gets: the caller's JSON with the target's override_params on top. */
export function applyOverrideParams(json: JsonObject | undefined, overrides: JsonObject | undefined): JsonObject | undefined {
  if (json === undefined || overrides === undefined) return json;
  return { ...json, ...overrides };
}

function resolveCredentials(leaf: TargetNode, requiresApiKey: boolean, provider: string): string | undefined {
  const { apiKey, virtualKey } = leaf.settings;
  if (apiKey !== undefined) return apiKey;
  if (virtualKey !== undefined) {
    // Virtual keys need the key vault; until one is configured no virtual key exists.
    throw new AuthenticationError(`Virtual key "${virtualKey}" was not found.`, 'virtual_key_not_found');
  }
  if (requiresApiKey) {
    throw new AuthenticationError(
      `No credentials for provider "${provider}": send your provider key as Authorization: Bearer, ` +
        'or name a virtual key (x-portkey-virtual-key), or set api_key in the config.',
      'missing_provider_credentials',
    );
  }
  return undefined;
}

/**
 * Routing's `onAbandoned`: keeps the usage of each answer a retry or fallback moved past, for
 * the request to be charged with (only fresh answers a guardrail turned down carry usage).
 */
export function noteAbandonedAnswer(trace: RoutingTrace): (error: GatewayError) => void {
  return (error) => {
    if (error.usage === undefined) return;
    (trace.abandonedAnswers ??= []).push({ provider: trace.provider, model: trace.model, usage: error.usage });
  };
}

/** Link the caller's signal and the request timeout into one signal for one attempt. */
function attemptSignal(runtime: GatewayRuntime, callerSignal: AbortSignal, timeoutMs: number | undefined) {
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort(new ClientClosedRequestError());
  if (callerSignal.aborted) onCallerAbort();
  else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  const cancelTimer =
    timeoutMs === undefined ? undefined : runtime.clock.setTimer(timeoutMs, () => controller.abort(new RequestTimeoutError(timeoutMs)));
  return {
    signal: controller.signal,
    /** The timeout covers the wait for the answer to start; a stream then runs to its end. */
    stopTimer: (): void => cancelTimer?.(),
    release: (): void => callerSignal.removeEventListener('abort', onCallerAbort),
  };
}

/**
 * The function routing calls for each leaf target: pick the provider, check the target's
 * settings, then make the upstream call with the target's retries and timeout. With
 * `guardrails`, each fresh answer is judged by the leaf's output guardrails inside the retry
 * loop, so a retry on 446 or 246 acts on their verdict.
 */
export function createLeafCaller(runtime: GatewayRuntime, prepared: PreparedRequest, trace: RoutingTrace, callerSignal: AbortSignal, guardrails?: RequestGuardrails) {
  return async (leaf: TargetNode): Promise<ProviderResponse> => {
    const guardrailRun = guardrails?.current();
    trace.lastUsedOptionIndex = leaf.path;
    trace.retries = 0;
    const providerId = leaf.settings.provider;
    trace.provider = providerId;
    if (providerId === undefined) {
      throw new BadRequestError('No provider: set x-portkey-provider or a config that names one.', 'missing_provider', 'x-portkey-provider');
    }
    const provider = runtime.providers.get(providerId);
    if (provider === undefined) {
      throw new BadRequestError(`Unknown provider "${providerId}".`, 'unknown_provider', 'provider');
    }
    const apiKey = resolveCredentials(leaf, provider.requiresApiKey, providerId);
    const customHost = leaf.settings.customHost;
    // The call connects only to the addresses the guard checked (DNS rebinding).
    const checkedHost = customHost === undefined ? undefined : await runtime.hostGuard.assertAllowed(customHost);

    const body = applyOverrideParams(prepared.json, leaf.settings.overrideParams);
    trace.model = typeof body?.model === 'string' ? body.model : undefined;
    // Messages API calls go to Anthropic as they are and to every other provider as chat. The
    // conversions are imported on the first /v1/messages call (a chunk of their own in the
    // Lambda bundle): most gateways never get one, so a cold start does not load them.
    const messages =
      prepared.endpoint === 'messages'
        ? (await import('./messages-endpoint-call.ts')).planMessagesCall(providerId, body, {
            search: prepared.search,
            fallbackMessageId: `msg_${trace.traceId}`,
          })
        : undefined;
    const call: EndpointCall = messages?.call ?? {
      endpoint: prepared.endpoint,
      method: prepared.method,
      path: prepared.path,
      search: prepared.search,
      body,
      rawBody: prepared.rawBody,
      contentType: prepared.contentType,
    };
    const target: ResolvedTarget = {
      provider: providerId,
      apiKey,
      customHost,
      forwardHeaders: leaf.settings.forwardHeaders,
      overrideParams: leaf.settings.overrideParams,
      options: leaf.settings.options,
    };
    const retryContext = {
      clock: runtime.clock,
      random: runtime.random,
      backoff: runtime.settings.retry,
      signal: callerSignal,
      onRetry: (retries: number) => {
        trace.retries = retries;
      },
      onAbandoned: noteAbandonedAnswer(trace),
    };
    // Every attempt runs with the custom host pinned to the addresses the guard checked.
    const attempts = withPinnedHost(checkedHost, () => callWithRetries(leaf.settings.retry, retryContext, async (attempt) => {
      const linked = attemptSignal(runtime, callerSignal, leaf.settings.requestTimeoutMs);
      let response: ProviderResponse;
      try {
        response = await provider.call({
          ...call,
          stream: prepared.stream,
          headers: prepared.headers,
          metadata: prepared.portkey.metadata,
          target,
          signal: linked.signal,
          attempt,
        });
        linked.stopTimer();
        if (response.kind === 'stream') void response.outcome.finally(linked.release);
        else linked.release();
      } catch (error) {
        linked.stopTimer();
        linked.release();
        const reason: unknown = linked.signal.reason;
        if (linked.signal.aborted && reason instanceof GatewayError) throw reason;
        throw error;
      }
      return guardrailRun === undefined ? response : guardrailRun.inspect(response);
    }));
    const response = guardrailRun === undefined ? await attempts : await guardrailRun.afterRetries(attempts);
    return messages === undefined ? response : messages.convertResponse(response);
  };
}
