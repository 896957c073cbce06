import { ClientClosedRequestError, type GatewayError, toGatewayError } from '../core/gateway-error.ts';
import type { Usage } from '../core/usage.ts';
import { matchRoute } from './match-route.ts';
import type { RequestRecord } from '../ports/request-log-sink.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import { parsePortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import { SSE_RESPONSE_HEADERS } from '../protocol/sse-encoding.ts';
import { buildTargetTree } from '../routing/build-target-tree.ts';
import { executeTargetTree } from '../routing/execute-target-tree.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { createLeafCaller } from './call-leaf-target.ts';
import { type ErrorShape, errorResponse } from './error-response.ts';
import type { GatewayEngine } from './gateway-engine.ts';
import { type RoutingTrace, setPortkeyResponseHeaders } from './gateway-response-headers.ts';
import { type PreparedRequest, prepareRequest } from './prepare-request.ts';
import { RequestConfigResolver } from './resolve-request-config.ts';

const NEVER_ABORTED = new AbortController().signal;

interface Outcome {
  status: number;
  usage: Usage | undefined;
  error: { code: string; message: string } | undefined;
}

function clientResponse(answer: ProviderResponse, trace: RoutingTrace): Response {
  const headers = new Headers(answer.headers);
  if (answer.kind === 'stream') for (const [name, value] of Object.entries(SSE_RESPONSE_HEADERS)) headers.set(name, value);
  setPortkeyResponseHeaders(headers, trace);
  return new Response(answer.body, { status: answer.status, headers });
}

/**
 * Build the engine for one runtime. The returned `handle` never throws: every failure becomes
 * an error response in the caller's API shape (Anthropic's on /v1/messages, OpenAI's
 * elsewhere), and every request is written to the request log once its answer is complete.
 */
export function createGatewayEngine(runtime: GatewayRuntime): GatewayEngine {
  const configs = new RequestConfigResolver(runtime.savedConfigs);
  const health = JSON.stringify({ status: 'ok', version: runtime.settings.version, mode: runtime.settings.mode });

  async function route(prepared: PreparedRequest, trace: RoutingTrace, signal: AbortSignal): Promise<ProviderResponse> {
    const config = await configs.resolve(prepared.portkey.config);
    const { portkey } = prepared;
    const tree = buildTargetTree(config, {
      provider: portkey.provider ?? runtime.settings.defaultProvider,
      apiKey: runtime.settings.allowBringYourOwnKey ? portkey.providerApiKey : undefined,
      virtualKey: portkey.virtualKey,
      overrideParams: undefined,
      retry: undefined,
      requestTimeoutMs: portkey.requestTimeoutMs,
      cache: undefined,
      customHost: portkey.customHost,
      forwardHeaders: portkey.forwardHeaders,
      options: portkey.providerOptions,
    });
    const condition = { metadata: portkey.metadata, params: prepared.json ?? {}, url: { pathname: prepared.pathname } };
    return executeTargetTree(tree, { condition, random: runtime.random, signal }, createLeafCaller(runtime, prepared, trace, signal));
  }

  function record(request: Request, prepared: PreparedRequest | undefined, trace: RoutingTrace, startedAt: number, firstByteAt: number | undefined, outcome: Outcome): void {
    const entry: RequestRecord = {
      traceId: trace.traceId,
      method: request.method,
      path: prepared?.pathname ?? new URL(request.url).pathname,
      endpoint: prepared?.endpoint ?? 'unknown',
      provider: trace.provider,
      model: trace.model,
      status: outcome.status,
      stream: prepared?.stream ?? false,
      startedAt,
      latencyMs: runtime.clock.now() - startedAt,
      firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - startedAt,
      retryAttempts: trace.retries,
      lastUsedOptionIndex: trace.lastUsedOptionIndex,
      usage: outcome.usage,
      errorCode: outcome.error?.code,
      errorMessage: outcome.error?.message,
      metadata: prepared?.portkey.metadata ?? {},
    };
    try {
      runtime.requestLog.write(entry);
    } catch {
      // A broken log sink must never fail a request that has already been answered.
    }
  }

  async function handle(request: Request): Promise<Response> {
    const startedAt = runtime.clock.now();
    const trace: RoutingTrace = {
      traceId: runtime.newTraceId(),
      provider: undefined,
      model: undefined,
      lastUsedOptionIndex: undefined,
      retries: 0,
    };
    let prepared: PreparedRequest | undefined;
    let errorShape: ErrorShape = 'openai';
    try {
      const url = new URL(request.url);
      const match = matchRoute(request.method, url.pathname);
      // Anthropic-format callers get errors in Anthropic's shape, whatever provider answers.
      if (match.kind === 'api' && match.endpoint === 'messages') errorShape = 'anthropic';
      if (match.kind === 'health') {
        return new Response(request.method === 'HEAD' ? null : health, { headers: { 'content-type': 'application/json' } });
      }
      const portkey = parsePortkeyRequestHeaders(request.headers);
      if (portkey.traceId !== undefined) trace.traceId = portkey.traceId;
      prepared = await prepareRequest(request, url, match.endpoint, match.path, portkey, runtime.settings.maxBodyBytes);
      const signal = request.signal ?? NEVER_ABORTED;
      const answer = await route(prepared, trace, signal);
      const firstByteAt = runtime.clock.now();
      const done = prepared;
      if (answer.kind === 'stream') {
        void answer.outcome.then((streamed) =>
          record(request, done, trace, startedAt, firstByteAt, {
            status: answer.status,
            usage: streamed.usage,
            error: streamed.error === undefined ? undefined : { code: 'stream_error', message: streamed.error.message },
          }),
        );
      } else {
        const usage = answer.kind === 'complete' ? answer.usage : undefined;
        queueMicrotask(() => record(request, done, trace, startedAt, firstByteAt, { status: answer.status, usage, error: undefined }));
      }
      return clientResponse(answer, trace);
    } catch (thrown) {
      const error: GatewayError = request.signal?.aborted ? new ClientClosedRequestError() : toGatewayError(thrown);
      const failed = prepared;
      queueMicrotask(() => record(request, failed, trace, startedAt, undefined, { status: error.status, usage: undefined, error: { code: error.code, message: error.message } }));
      const headers = new Headers();
      setPortkeyResponseHeaders(headers, trace);
      return errorResponse(error, headers, errorShape);
    }
  }

  return { handle };
}
