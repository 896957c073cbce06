import { ClientClosedRequestError, type GatewayError, toGatewayError } from '../core/gateway-error.ts';
import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';
import { matchRoute } from './match-route.ts';
import { observeStreamBody } from '../logging/observe-stream-body.ts';
import type { LoggedResponseBody, RequestLogDetail, RequestRecord } from '../ports/request-log-sink.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import { parsePortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import { SSE_RESPONSE_HEADERS } from '../protocol/sse-encoding.ts';
import { buildTargetTree, treeHasGuardrails } from '../routing/build-target-tree.ts';
import { executeTargetTree } from '../routing/execute-target-tree.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { createLeafCaller, noteAbandonedAnswer } from './call-leaf-target.ts';
import { completeResponse } from './complete-response.ts';
import { type ErrorShape, errorResponse } from './error-response.ts';
import { answerFeedback, feedbackRecorderOf } from './feedback-endpoint.ts';
import type { GatewayEngine, GatewayRequestContext } from './gateway-engine.ts';
import { createGuardrailStep } from './guardrail-step.ts';
import { withLeafAccess } from './leaf-access-step.ts';
import { type RoutingTrace, setPortkeyResponseHeaders } from './gateway-response-headers.ts';
import { type PreparedRequest, prepareRequest } from './prepare-request.ts';
import { RequestConfigResolver } from './resolve-request-config.ts';
import { accessRecordFields, authenticateRequest, configReference, credentialHeaders } from './request-access.ts';
import { type RequestCache, createResponseCacheStep } from './response-cache-step.ts';
import { answerUsage } from './usage-endpoint.ts';
import { UsageLimitsStep, withHeaders } from './usage-limits-step.ts';

const NEVER_ABORTED = new AbortController().signal;
const noop = (): void => undefined;

interface Outcome {
  status: number;
  usage: Usage | undefined;
  error: { code: string; message: string } | undefined;
  cacheWrite?: RequestRecord['cacheWrite'];
  /** For the request log: when routing began, when the first chunk left, and the answer's body. */
  log?: { routedAt: number; firstTokenAt: number | undefined; response: LoggedResponseBody | undefined };
}

function logDetail(prepared: PreparedRequest | undefined, response: LoggedResponseBody | undefined): RequestLogDetail {
  return { requestBody: prepared?.json ?? prepared?.rawBody, requestContentType: prepared?.contentType, responseBody: response, requestHeaders: prepared?.headers };
}

function loggedAnswer(answer: Exclude<ProviderResponse, { kind: 'stream' }>): LoggedResponseBody {
  const contentType = answer.headers.get('content-type') ?? undefined;
  return answer.kind === 'complete' ? { kind: 'complete', body: answer.body, contentType } : { kind: 'binary', contentType };
}

/** The model the caller's body names, if any. */
function requestedModel(prepared: PreparedRequest | undefined): string | undefined {
  const model = prepared?.json?.model;
  return typeof model === 'string' && model !== '' ? model : undefined;
}

function clientResponse(answer: ProviderResponse, trace: RoutingTrace): Response {
  const headers = new Headers(answer.headers);
  if (answer.kind === 'stream') for (const [name, value] of Object.entries(SSE_RESPONSE_HEADERS)) headers.set(name, value);
  setPortkeyResponseHeaders(headers, trace);
  if (answer.kind === 'complete') return completeResponse(answer.body, { status: answer.status, headers });
  return new Response(answer.body, { status: answer.status, headers });
}

/**
 * Build the engine for one runtime. The returned `handle` never throws: every failure becomes
 * an error response in the caller's API shape (Anthropic's on /v1/messages, OpenAI's
 * elsewhere), and every request is written to the request log once its answer is complete.
 */
export function createGatewayEngine(runtime: GatewayRuntime): GatewayEngine {
  const configs = new RequestConfigResolver(runtime.savedConfigs);
  const responseCache = createResponseCacheStep(runtime);
  const guardrailStep = createGuardrailStep(runtime);
  const usageLimits = new UsageLimitsStep(runtime, runtime.usageLimits);
  const pendingRecords = new Set<Promise<void>>();
  const health = JSON.stringify({ status: 'ok', version: runtime.settings.version, mode: runtime.settings.mode });
  const feedback = feedbackRecorderOf(runtime);

  /** The stream as the caller gets it, observed for the log when the log sink wants streams. */
  function observeForLog(body: ReadableStream<Uint8Array>) {
    const captureBytes = runtime.requestLog.streamCaptureBytes;
    if (captureBytes === undefined) return { body, observed: Promise.resolve(undefined) };
    return observeStreamBody(body, captureBytes, () => runtime.clock.now());
  }

  async function route(prepared: PreparedRequest, trace: RoutingTrace, signal: AbortSignal, cache: RequestCache): Promise<ProviderResponse> {
    const config = await configs.resolve(configReference(prepared));
    const { portkey } = prepared;
    const tree = buildTargetTree(config, {
      // The default provider is applied per leaf (withLeafAccess), after a virtual key's own.
      provider: portkey.provider,
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
    const context = { condition, random: runtime.random, signal, onAbandoned: noteAbandonedAnswer(trace) };
    // Configs without guardrails take the chain as it was: no guardrail step, not even its objects.
    if (!treeHasGuardrails(tree)) {
      return executeTargetTree(tree, context, withLeafAccess(runtime, prepared, cache.wrap(createLeafCaller(runtime, prepared, trace, signal)), usageLimits));
    }
    const guardrails = guardrailStep.forRequest(prepared, trace);
    const callLeaf = withLeafAccess(runtime, prepared, guardrails.wrap(cache.wrap(createLeafCaller(runtime, prepared, trace, signal, guardrails))), usageLimits);
    return guardrails.settle(executeTargetTree(tree, context, callLeaf));
  }

  function record(request: Request, prepared: PreparedRequest | undefined, trace: RoutingTrace, startedAt: number, firstByteAt: number | undefined, outcome: Outcome): void {
    const log = outcome.log;
    const servedFromCache = trace.cacheStatus === 'HIT' || trace.cacheStatus === 'SEMANTIC HIT';
    const charging = usageLimits.settle(prepared, { provider: trace.provider, model: trace.model, usage: outcome.usage }, servedFromCache, trace.abandonedAnswers);
    const entry: RequestRecord = {
      traceId: trace.traceId,
      spanId: prepared?.portkey.spanId,
      parentSpanId: prepared?.portkey.parentSpanId,
      spanName: prepared?.portkey.spanName,
      method: request.method,
      path: prepared?.pathname ?? new URL(request.url).pathname,
      endpoint: prepared?.endpoint ?? 'unknown',
      // A request that ended before routing chose a target (a budget or rate-limit refusal, a
      // bad config) is filed under the provider and model it asked for.
      provider: trace.provider ?? prepared?.portkey.provider,
      model: trace.model ?? requestedModel(prepared),
      status: outcome.status,
      stream: prepared?.stream ?? false,
      startedAt,
      latencyMs: runtime.clock.now() - startedAt,
      firstByteMs: firstByteAt === undefined ? undefined : firstByteAt - startedAt,
      upstreamLatencyMs: log === undefined || firstByteAt === undefined ? undefined : firstByteAt - log.routedAt,
      timeToFirstTokenMs: log?.firstTokenAt === undefined ? undefined : log.firstTokenAt - startedAt,
      retryAttempts: trace.retries,
      lastUsedOptionIndex: trace.lastUsedOptionIndex,
      usage: outcome.usage,
      errorCode: outcome.error?.code,
      errorMessage: outcome.error?.message,
      ...accessRecordFields(prepared),
      cacheStatus: trace.cacheStatus,
      cacheWrite: outcome.cacheWrite,
      guardrails: trace.guardrails,
    };
    const detail = logDetail(prepared, log?.response);
    // The cost needs the price table, which the first priced request of a container loads.
    const written = charging.then((charged) => {
      entry.cost = charged.cost;
      entry.costUnknownModel = charged.unknownModel ? true : undefined;
      try {
        runtime.requestLog.write(entry, detail);
      } catch {
        // A broken log sink must never fail a request that has already been answered.
      }
    });
    track(written);
    if (trace.guardrailFeedback !== undefined) storeGuardrailFeedback(trace.traceId, trace.guardrailFeedback, entry);
  }

  function track(work: Promise<void>): void {
    pendingRecords.add(work);
    void work.finally(() => pendingRecords.delete(work));
  }

  /** Portkey's guardrail feedback actions, stored like `POST /v1/feedback` with the request's trace. */
  function storeGuardrailFeedback(traceId: string, items: readonly JsonObject[], entry: RequestRecord): void {
    const body = items.map((item) => ({ ...item, trace_id: traceId }));
    // Feedback only annotates the request: a trace id it refuses or a failed write changes nothing.
    track(feedback.record(body, { workspaceId: entry.workspaceId, apiKeyId: entry.apiKeyId }).then(noop, noop));
  }

  async function handle(request: Request, context?: GatewayRequestContext): Promise<Response> {
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
      if (match.kind === 'feedback') return await answerFeedback(runtime, feedback, request, context);
      if (match.kind === 'usage') return await answerUsage(runtime, usageLimits, request, context);
      const portkey = parsePortkeyRequestHeaders(credentialHeaders(request.headers, runtime.settings));
      if (portkey.traceId !== undefined) trace.traceId = portkey.traceId;
      prepared = await prepareRequest(request, url, match.endpoint, match.path, portkey, runtime.settings.maxBodyBytes);
      prepared.access = await authenticateRequest(runtime, portkey, context);
      const limitHeaders = await usageLimits.admit(prepared);
      const signal = request.signal ?? NEVER_ABORTED;
      // Cached answers are shared within a workspace; anonymous local callers share the default one.
      const cache = responseCache.forRequest(prepared, trace, { workspaceId: prepared.access.identity.workspaceId ?? 'default', signal });
      const routedAt = runtime.clock.now();
      const answer = await route(prepared, trace, signal, cache);
      const firstByteAt = runtime.clock.now();
      const done = prepared;
      if (answer.kind === 'stream') {
        const observed = observeForLog(answer.body);
        // The record waits for the cache write so that it can say how the write ended.
        void Promise.all([answer.outcome, cache.written(), observed.observed]).then(([streamed, cacheWrite, seen]) =>
          record(request, done, trace, startedAt, firstByteAt, {
            status: answer.status,
            usage: streamed.usage,
            error: streamed.error === undefined ? undefined : { code: 'stream_error', message: streamed.error.message },
            cacheWrite,
            log: { routedAt, firstTokenAt: seen?.firstChunkAt, response: seen?.body },
          }),
        );
        return withHeaders(clientResponse({ ...answer, body: observed.body }, trace), limitHeaders);
      }
      const usage = answer.kind === 'complete' ? answer.usage : undefined;
      const log = { routedAt, firstTokenAt: firstByteAt, response: loggedAnswer(answer) };
      void cache.written().then((cacheWrite) =>
        record(request, done, trace, startedAt, firstByteAt, { status: answer.status, usage, error: undefined, cacheWrite, log }),
      );
      return withHeaders(clientResponse(answer, trace), limitHeaders);
    } catch (thrown) {
      const error: GatewayError = request.signal?.aborted ? new ClientClosedRequestError() : toGatewayError(thrown);
      const failed = prepared;
      // An answer refused after it was produced (by an output guardrail) was still paid for.
      queueMicrotask(() => record(request, failed, trace, startedAt, undefined, { status: error.status, usage: error.usage, error: { code: error.code, message: error.message } }));
      const headers = new Headers();
      setPortkeyResponseHeaders(headers, trace);
      return errorResponse(error, headers, errorShape);
    }
  }

  async function flush(): Promise<void> {
    while (pendingRecords.size > 0) await Promise.all([...pendingRecords]);
    await usageLimits.flush();
  }

  return { handle, functionUrlAuth: runtime.settings.functionUrlAuth ?? 'NONE', flush };
}
