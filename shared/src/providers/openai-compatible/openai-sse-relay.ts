import { createParser } from 'eventsource-parser';
import { BadGatewayError, GatewayError } from '../../core/gateway-error.ts';
import type { Usage } from '../../core/usage.ts';
import { drainStreamReader } from '../../protocol/drain-stream-reader.ts';
import { formatSseData, formatSseError, SSE_DONE_TEXT } from '../../protocol/sse-encoding.ts';
import type { StreamOutcome } from '../provider-model.ts';
import { classifyOpenAIStreamEvent } from './classify-openai-stream-event.ts';

/** One event larger than this is not a chat chunk; refusing it bounds the parser's memory. */
const MAX_EVENT_CHARACTERS = 8 * 1024 * 1024;

/** Status recorded when the caller went away first (nginx's "client closed request"). */
const CALLER_CLOSED_STATUS = 499;

export interface OpenAISseRelayOptions {
  /** Provider id, for error messages. */
  provider: string;
  /** Drop the usage-only chunk: the gateway asked for it, the caller did not. */
  stripUsageOnlyChunk: boolean;
  /** The upstream call's signal; when it aborted with a GatewayError, that error ends the stream. */
  signal?: AbortSignal | undefined;
}

export interface OpenAISseRelay {
  /** OpenAI SSE bytes for the caller. */
  body: ReadableStream<Uint8Array>;
  /** Settles once the stream ends, fails or is cancelled; never rejects. */
  outcome: Promise<StreamOutcome>;
}

const encoder = new TextEncoder();

/**
 * Relay an OpenAI-style SSE stream to the caller event by event, capturing usage on the way.
 * The caller's stream ends with `[DONE]` only when the provider sent it; a cut connection,
 * an end without `[DONE]`, an error event or a malformed event end it with an SSE error
 * event instead, so a truncated answer never looks complete. Pull-based: the upstream is
 * read only as fast as the caller reads, and cancelling the result cancels the upstream.
 */
export function relayOpenAISse(upstream: ReadableStream<Uint8Array>, options: OpenAISseRelayOptions): OpenAISseRelay {
  const { provider } = options;
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  // Events ready for the caller, as text: those from one upstream read are encoded together.
  let pending = '';
  let usage: Usage | undefined;
  let failure: GatewayError | undefined;
  let finished = false;
  let upstreamEnded = false;
  let cancelled = false;
  let settle: (outcome: StreamOutcome) => void = () => {};
  const outcome = new Promise<StreamOutcome>((resolve) => {
    settle = resolve;
  });

  const fail = (error: GatewayError): void => {
    failure = error;
    pending += formatSseError(error);
    finished = true;
  };

  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARACTERS,
    onEvent(event) {
      if (finished) return;
      const classified = classifyOpenAIStreamEvent(provider, event);
      switch (classified.kind) {
        case 'ignored':
          return;
        case 'done':
          pending += SSE_DONE_TEXT;
          finished = true;
          return;
        case 'error':
          fail(classified.error);
          return;
        case 'malformed':
          fail(new BadGatewayError(`${provider} sent a stream event that is not valid JSON.`, 'invalid_upstream_response'));
          return;
        case 'chunk':
          if (classified.usage !== undefined) usage = classified.usage;
          if (classified.usageOnly && options.stripUsageOnlyChunk) return;
          pending += formatSseData(classified.payload);
          return;
      }
    },
    onError(error) {
      if (finished || error.type !== 'max-buffer-size-exceeded') return;
      fail(new BadGatewayError(`${provider} sent a stream event larger than the gateway accepts.`, 'invalid_upstream_response'));
    },
  });

  const brokenStreamError = (cause: unknown): GatewayError => {
    const reason: unknown = options.signal?.aborted === true ? options.signal.reason : undefined;
    if (reason instanceof GatewayError) return reason;
    return new BadGatewayError(`The connection to ${provider} broke before the stream was complete.`, 'stream_truncated', cause);
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (pending === '' && !finished) {
          let result: Awaited<ReturnType<typeof reader.read>>;
          try {
            result = await reader.read();
          } catch (error) {
            upstreamEnded = true;
            if (!cancelled) fail(brokenStreamError(error));
            break;
          }
          if (cancelled) return;
          if (result.done) {
            upstreamEnded = true;
            // Some servers end cleanly without the blank line after their last event
            // (`data: [DONE]\n`); a closing blank line lets that event count.
            parser.feed(`${decoder.decode()}\n\n`);
            if (!finished) fail(new BadGatewayError(`The stream from ${provider} ended before it was complete.`, 'stream_truncated'));
            break;
          }
          parser.feed(decoder.decode(result.value, { stream: true }));
        }
        if (cancelled) return;
        if (pending !== '') {
          controller.enqueue(encoder.encode(pending));
          pending = '';
        }
        if (!finished) return;
        controller.close();
        settle({
          usage,
          error: failure === undefined ? undefined : { status: failure.status, message: failure.message },
        });
        if (upstreamEnded) return;
        // Whatever the provider still sends is of no use. After [DONE] its end is usually a
        // moment away: reading up to it keeps the keep-alive connection for the next call,
        // where cancelling would close it. After an error nothing more is worth waiting for.
        if (failure === undefined) void drainStreamReader(reader);
        else reader.cancel().catch(() => {});
      },
      cancel(reason) {
        cancelled = true;
        finished = true;
        settle({ usage, error: { status: CALLER_CLOSED_STATUS, message: 'The caller closed the stream before it ended.' } });
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );

  return { body, outcome };
}
