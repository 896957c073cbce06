import type { Endpoint } from '../core/endpoint.ts';
import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';

/** `fetch` as the providers use it; injected so tests and runtimes choose the transport. */
export type FetchFunction = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * One target after inheritance: everything a provider needs to make one upstream call.
 * Secrets (apiKey, aws keys) live here only for the duration of the call.
 */
export interface ResolvedTarget {
  provider: string;
  apiKey?: string | undefined;
  customHost?: string | undefined;
  /** Names of caller headers to send on to the provider. */
  forwardHeaders: readonly string[];
  overrideParams?: JsonObject | undefined;
  /** Provider-specific settings (resource_name, deployment_id, api_version, aws_region, ...). */
  options: Readonly<Record<string, string>>;
}

/** What the engine hands a provider for one attempt. */
export interface ProviderRequest {
  endpoint: Endpoint;
  method: string;
  /** The path below `/v1`, such as `/chat/completions` or, for passthrough, `/files/abc`. */
  path: string;
  /** The query string including its leading `?`, or ''. */
  search: string;
  /** The JSON body after override_params, for JSON endpoints. */
  body: JsonObject | undefined;
  /** The body bytes for endpoints that are not JSON (multipart uploads, passthrough). */
  rawBody: Uint8Array | undefined;
  contentType: string | undefined;
  /** Whether the caller asked for an SSE stream. */
  stream: boolean;
  /** The caller's request headers, for forward_headers and provider headers. */
  headers: Headers;
  /** Metadata from `x-portkey-metadata`. */
  metadata: Readonly<Record<string, string>>;
  target: ResolvedTarget;
  /** Aborted on client disconnect or on the request timeout. */
  signal: AbortSignal;
  /** 0 for the first try at this target, 1 for the first retry, ... */
  attempt: number;
}

/** The outcome of a streamed answer, known once its last byte has been produced. */
export interface StreamOutcome {
  usage: Usage | undefined;
  /** Set when the stream ended with an error event instead of a clean end. */
  error?: { status: number; message: string } | undefined;
}

export type ProviderResponse =
  | {
      kind: 'complete';
      status: number;
      headers: Headers;
      /** The answer as the caller receives it. */
      body: Uint8Array;
      usage: Usage | undefined;
    }
  | {
      kind: 'stream';
      status: number;
      headers: Headers;
      /** OpenAI-format SSE bytes, produced as upstream chunks arrive. */
      body: ReadableStream<Uint8Array>;
      /** Settles when the stream has ended (cleanly, with an error event, or cancelled). */
      outcome: Promise<StreamOutcome>;
    }
  | {
      kind: 'binary';
      status: number;
      headers: Headers;
      /** Bytes sent on unchanged (audio, passthrough). */
      body: ReadableStream<Uint8Array> | null;
    };

/**
 * A provider turns one ProviderRequest into one ProviderResponse. It throws a GatewayError for
 * any failure before the answer starts (an upstream error status keeps that status), so
 * routing can retry or fall back; failures after that are reported inside the stream.
 */
export interface ProviderModel {
  readonly id: string;
  /** Whether calls need a credential (api key, virtual key, or bring-your-own key). */
  readonly requiresApiKey: boolean;
  call(request: ProviderRequest): Promise<ProviderResponse>;
}
