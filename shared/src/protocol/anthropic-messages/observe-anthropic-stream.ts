import { createParser } from 'eventsource-parser';
import { BadGatewayError, GatewayError } from '../../core/gateway-error.ts';
import { isJsonObject } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import { encodeAnthropicSseEvent } from './anthropic-sse-encoding.ts';
import { anthropicErrorType } from './anthropic-error-body.ts';
import { type AnthropicUsageCounts, mergeAnthropicUsageCounts, usageFromAnthropicCounts } from './read-anthropic-usage.ts';

const CALLER_CLOSED_STATUS = 499;
/** An error event names no status; 502 says "the provider failed mid-answer". */
const STREAM_ERROR_STATUS = 502;

const encoder = new TextEncoder();

/** How an observed Anthropic stream ended, for the request log. */
export interface ObservedStreamOutcome {
  usage: Usage | undefined;
  error?: { status: number; message: string } | undefined;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Relay an Anthropic Messages SSE stream to the caller byte for byte while reading its usage
 * (message_start, then message_delta) and how it ended. A stream cut before message_stop (or
 * an error event) gets an Anthropic `error` event appended, so a truncated answer never
 * looks complete. Pull-based and cancel-aware: cancelling the result cancels `source`.
 */
export function observeAnthropicStream(
  source: ReadableStream<Uint8Array>,
  options: { provider: string; signal?: AbortSignal | undefined },
): { body: ReadableStream<Uint8Array>; outcome: Promise<ObservedStreamOutcome> } {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let counts: AnthropicUsageCounts = {};
  let ended: ObservedStreamOutcome['error'] | 'clean' | undefined;
  let atEventBoundary = true;
  let finished = false;
  let settle: (outcome: ObservedStreamOutcome) => void = () => undefined;
  const outcome = new Promise<ObservedStreamOutcome>((resolve) => {
    settle = resolve;
  });

  const parser = createParser({
    onEvent(event) {
      if (ended !== undefined) return;
      const parsed = parseJson(event.data);
      const payload = isJsonObject(parsed) ? parsed : {};
      const type = event.event ?? (typeof payload.type === 'string' ? payload.type : undefined);
      if (type === 'message_start' && isJsonObject(payload.message)) counts = mergeAnthropicUsageCounts(counts, payload.message.usage);
      else if (type === 'message_delta') counts = mergeAnthropicUsageCounts(counts, payload.usage);
      else if (type === 'message_stop') ended = 'clean';
      else if (type === 'error') {
        const error = isJsonObject(payload.error) ? payload.error : {};
        ended = { status: STREAM_ERROR_STATUS, message: typeof error.message === 'string' ? error.message : `${options.provider} reported an error in the stream.` };
      }
    },
  });

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, failure: GatewayError | undefined): void => {
    finished = true;
    if (failure !== undefined) {
      // A cut in the middle of an event: end that event first so the error event stands alone.
      if (!atEventBoundary) controller.enqueue(encoder.encode('\n\n'));
      controller.enqueue(encodeAnthropicSseEvent({ type: 'error', error: { type: anthropicErrorType(failure.status), message: failure.message } }));
    }
    controller.close();
    const usage = usageFromAnthropicCounts(counts);
    if (failure !== undefined) settle({ usage, error: { status: failure.status, message: failure.message } });
    else settle({ usage, error: ended === 'clean' || ended === undefined ? undefined : ended });
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (finished) return;
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (cause) {
          if (finished) return;
          const reason: unknown = options.signal?.aborted === true ? options.signal.reason : undefined;
          finish(
            controller,
            reason instanceof GatewayError ? reason : new BadGatewayError(`The connection to ${options.provider} broke before the stream was complete.`, 'stream_truncated', cause),
          );
          return;
        }
        if (finished) return;
        if (next.done) {
          parser.feed(`${decoder.decode()}\n\n`);
          finish(controller, ended === undefined ? new BadGatewayError(`The stream from ${options.provider} ended before it was complete.`, 'stream_truncated') : undefined);
          return;
        }
        controller.enqueue(next.value);
        const text = decoder.decode(next.value, { stream: true });
        if (text !== '') atEventBoundary = text.endsWith('\n\n') || text.endsWith('\r\n\r\n');
        parser.feed(text);
      },
      async cancel(reason) {
        if (finished) return;
        finished = true;
        settle({ usage: usageFromAnthropicCounts(counts), error: { status: CALLER_CLOSED_STATUS, message: 'The caller closed the stream before it ended.' } });
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, outcome };
}
