import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** Where a response's body bytes come from, and how to stop the exchange they belong to. */
export interface ResponseBodySource {
  /** The message itself, or a decompressor fed by it. */
  readable: Readable;
  /** The message, which says whether the body arrived whole. */
  message: IncomingMessage;
  /** Destroy the request and its socket: the rest of the body is not wanted. */
  destroy(reason?: unknown): void;
  /** The caller's signal: aborting it fails a body that is still being read. */
  signal: AbortSignal | undefined;
}

const utf8 = new TextDecoder();

function unusableBody(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}

/**
 * Follow a body to its end: `onChunk` gets every chunk as it comes, `onEnd` the outcome once
 * (undefined for a whole body, else the error). A connection that closes early, or the caller's
 * signal, ends it with an error, so a truncated body never looks whole.
 */
function followBody(
  source: ResponseBodySource,
  onChunk: (chunk: Buffer) => void,
  onEnd: (error: unknown) => void,
): void {
  const { readable, message, signal } = source;
  let ended = false;
  const finish = (error: unknown): void => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    readable.off('data', onChunk);
    onEnd(error);
  };
  const onAbort = (): void => {
    finish(signal?.reason);
    source.destroy(signal?.reason);
  };
  readable.on('data', onChunk);
  readable.once('end', () => {
    // A decompressor can end cleanly on bytes cut short by the connection.
    finish(message.complete ? undefined : prematureClose());
  });
  readable.once('error', (error: Error) => finish(error));
  readable.once('close', () => {
    // After a clean end, 'close' always follows: only build the error when it means something.
    if (!ended) finish(prematureClose());
  });
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
}

function prematureClose(): Error {
  return Object.assign(new Error('The connection closed before the response body was complete.'), { code: 'UND_ERR_SOCKET' });
}

/**
 * A pull-based web stream over a body: each read takes everything that has arrived since the
 * last one (one chunk however many HTTP chunks or packets it came in, so a burst of SSE events
 * is relayed and written once), waits for more only when nothing has, and never reads ahead.
 * Cancelling the stream closes the connection.
 */
function bodyStream(source: ResponseBodySource): ReadableStream<Uint8Array> {
  const { readable, message, signal } = source;
  let outcome: { error: unknown } | undefined;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const finish = (error: unknown): void => {
    if (outcome !== undefined) return;
    outcome = { error };
    signal?.removeEventListener('abort', onAbort);
    wake?.();
  };
  const onAbort = (): void => {
    finish(signal?.reason);
    source.destroy(signal?.reason);
  };
  // 'end' comes only once a read has found the body finished.
  readable.on('end', () => finish(message.complete ? undefined : prematureClose()));
  readable.on('error', (error: Error) => finish(error));
  readable.on('close', () => {
    if (outcome === undefined) finish(prematureClose());
  });
  readable.on('readable', () => wake?.());
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (cancelled) return;
          if (outcome !== undefined) {
            if (outcome.error === undefined) controller.close();
            else controller.error(outcome.error);
            return;
          }
          // Everything buffered so far, as one chunk; null when nothing has arrived yet.
          const chunk: Buffer | null = readable.read();
          if (chunk !== null) {
            controller.enqueue(chunk);
            return;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      },
      cancel(reason) {
        cancelled = true;
        finish(reason);
        source.destroy(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The whole body in one buffer, read straight from the socket (no web stream on the way). */
function readWholeBody(source: ResponseBodySource): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    followBody(
      source,
      (chunk) => {
        chunks.push(chunk);
        length += chunk.byteLength;
      },
      (error) => {
        if (error !== undefined) {
          reject(error);
          return;
        }
        // A fresh buffer of its own: Buffer.concat may hand out a slice of a shared pool.
        const whole = new Uint8Array(length);
        let offset = 0;
        for (const chunk of chunks) {
          whole.set(chunk, offset);
          offset += chunk.byteLength;
        }
        resolve(whole);
      },
    );
  });
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/**
 * A fetch `Response` over a node:http answer. The body becomes a web stream only if someone asks
 * for `body`; `arrayBuffer()`, `text()` and `json()` read the socket directly, which spares the
 * streams machinery on every non-streamed answer. `clone()` is not supported.
 */
export class IncomingMessageResponse extends Response {
  readonly #source: ResponseBodySource | undefined;
  readonly #url: string;
  #stream: ReadableStream<Uint8Array> | undefined;
  #read = false;

  /** `source` is undefined for answers that have no body (HEAD, 204, 304). */
  constructor(source: ResponseBodySource | undefined, init: ResponseInit, url: string) {
    super(null, init);
    this.#source = source;
    this.#url = url;
  }

  static {
    // Response's body members are declared as properties, so they are replaced on the prototype
    // here rather than as methods and getters in the class body (which would not type-check).
    const used = (response: IncomingMessageResponse): boolean => response.#read || (response.#stream?.locked ?? false);
    const bytes = async (response: IncomingMessageResponse): Promise<Uint8Array> => {
      if (used(response)) throw unusableBody();
      response.#read = true;
      if (response.#source === undefined) return new Uint8Array(0);
      return response.#stream === undefined ? readWholeBody(response.#source) : readStream(response.#stream);
    };
    const text = async (response: IncomingMessageResponse): Promise<string> => utf8.decode(await bytes(response));
    Object.defineProperties(IncomingMessageResponse.prototype, {
      body: {
        configurable: true,
        get(this: IncomingMessageResponse): ReadableStream<Uint8Array> | null {
          if (this.#source === undefined) return null;
          this.#stream ??= bodyStream(this.#source);
          return this.#stream;
        },
      },
      bodyUsed: {
        configurable: true,
        get(this: IncomingMessageResponse): boolean {
          return used(this);
        },
      },
      url: {
        configurable: true,
        get(this: IncomingMessageResponse): string {
          return this.#url;
        },
      },
      arrayBuffer: {
        configurable: true,
        writable: true,
        async value(this: IncomingMessageResponse): Promise<ArrayBuffer> {
          return (await bytes(this)).buffer as ArrayBuffer;
        },
      },
      bytes: {
        configurable: true,
        writable: true,
        value(this: IncomingMessageResponse): Promise<Uint8Array> {
          return bytes(this);
        },
      },
      text: {
        configurable: true,
        writable: true,
        value(this: IncomingMessageResponse): Promise<string> {
          return text(this);
        },
      },
      json: {
        configurable: true,
        writable: true,
        async value(this: IncomingMessageResponse): Promise<unknown> {
          return JSON.parse(await text(this)) as unknown;
        },
      },
      blob: {
        configurable: true,
        writable: true,
        async value(this: IncomingMessageResponse): Promise<Blob> {
          return new Blob([await bytes(this)], { type: this.headers.get('content-type') ?? '' });
        },
      },
      formData: {
        configurable: true,
        writable: true,
        async value(this: IncomingMessageResponse): Promise<FormData> {
          return new Response(await bytes(this), { headers: this.headers }).formData();
        },
      },
      clone: {
        configurable: true,
        writable: true,
        value(): Response {
          throw new TypeError('This response cannot be cloned.');
        },
      },
    });
  }
}
