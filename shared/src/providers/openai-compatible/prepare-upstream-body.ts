import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { ProviderRequest } from '../provider-model.ts';

export interface UpstreamBody {
  body: RequestInit['body'];
  contentType: string | undefined;
  /** The gateway added `include_usage`, so the usage-only chunk is not the caller's to see. */
  stripUsageOnlyChunk: boolean;
}

/**
 * Ask for the usage chunk when the caller did not, keeping any other stream_options they
 * set. Usage must be captured for budgets and logs on every stream.
 */
function withStreamUsage(body: JsonObject): { body: JsonObject; injected: boolean } {
  const streamOptions = body.stream_options;
  if (isJsonObject(streamOptions) && streamOptions.include_usage === true) return { body, injected: false };
  const kept = isJsonObject(streamOptions) ? streamOptions : {};
  return { body: { ...body, stream_options: { ...kept, include_usage: true } }, injected: true };
}

/**
 * The bytes to send upstream. JSON bodies go on with every caller parameter untouched (the
 * provider, not the gateway, decides what it accepts); raw bodies (multipart uploads,
 * passthrough) go byte for byte with the caller's content type.
 */
export function prepareUpstreamBody(request: ProviderRequest, supportsStreamUsage: boolean): UpstreamBody {
  if (request.body !== undefined) {
    if (request.stream && supportsStreamUsage) {
      const { body, injected } = withStreamUsage(request.body);
      return { body: JSON.stringify(body), contentType: 'application/json', stripUsageOnlyChunk: injected };
    }
    return { body: JSON.stringify(request.body), contentType: 'application/json', stripUsageOnlyChunk: false };
  }
  if (request.rawBody !== undefined) {
    return { body: request.rawBody, contentType: request.contentType, stripUsageOnlyChunk: false };
  }
  return { body: undefined, contentType: undefined, stripUsageOnlyChunk: false };
}
