/** A body that was whole when its message was made: the value, and how it has been used since. */
interface HeldBody {
  /** Undefined for a request without a body, whose `body` is null. */
  value: Uint8Array | string | undefined;
  stream: ReadableStream<Uint8Array> | undefined;
  read: boolean;
}

const heldBodies = new WeakMap<Request | Response, HeldBody>();
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytesOf(value: Uint8Array | string | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return typeof value === 'string' ? encoder.encode(value) : value;
}

function held(message: Request | Response): HeldBody {
  const body = heldBodies.get(message);
  if (body === undefined) throw new TypeError('Illegal invocation');
  return body;
}

function isUsed(body: HeldBody): boolean {
  return body.read || (body.stream?.locked ?? false);
}

/** The whole body, once: later reads fail as fetch's do. */
async function take(message: Request | Response): Promise<Uint8Array> {
  const body = held(message);
  if (isUsed(body)) throw new TypeError('Body is unusable: Body has already been read');
  body.read = true;
  if (body.stream === undefined) return bytesOf(body.value);
  return new Uint8Array(await new Response(body.stream).arrayBuffer());
}

/**
 * Give a class made with a null body the body members of fetch's Body mixin, served from the
 * held value: no web stream is built unless someone reads `body` itself. On Node 20 a stream
 * costs more to build than the rest of a small Response.
 */
function serveHeldBody(prototype: Request | Response): void {
  Object.defineProperties(prototype, {
    body: {
      configurable: true,
      get(this: Request | Response): ReadableStream<Uint8Array> | null {
        const body = held(this);
        if (body.value === undefined) return null;
        body.stream ??= new Response(body.value).body as ReadableStream<Uint8Array>;
        return body.stream;
      },
    },
    bodyUsed: {
      configurable: true,
      get(this: Request | Response): boolean {
        return isUsed(held(this));
      },
    },
    arrayBuffer: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<ArrayBuffer> {
        const bytes = await take(this);
        // A view of a larger buffer (a pooled Buffer, a slice) must not hand out its neighbours.
        return (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
      },
    },
    bytes: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<Uint8Array> {
        return new Uint8Array(await take(this));
      },
    },
    text: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<string> {
        const body = held(this);
        if (!isUsed(body) && body.stream === undefined && typeof body.value === 'string') {
          body.read = true;
          return body.value;
        }
        return decoder.decode(await take(this));
      },
    },
    json: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<unknown> {
        return JSON.parse(await (this as Response).text()) as unknown;
      },
    },
    blob: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<Blob> {
        return new Blob([await take(this)], { type: this.headers.get('content-type') ?? '' });
      },
    },
    formData: {
      configurable: true,
      writable: true,
      async value(this: Request | Response): Promise<FormData> {
        return new Response(await take(this), { headers: this.headers }).formData();
      },
    },
    clone: {
      configurable: true,
      writable: true,
      value(): never {
        throw new TypeError('This message cannot be cloned.');
      },
    },
  });
}

/**
 * A Response whose whole body is in hand (a non-streamed answer, an error). To everyone else it
 * is an ordinary Response; the function URL layer reads the body through `completeBodyOf` and
 * writes it at once instead of piping a stream.
 */
export class CompleteResponse extends Response {
  constructor(body: Uint8Array | string, init: ResponseInit) {
    super(null, init);
    if (NULL_BODY_STATUSES.has(this.status) && (typeof body === 'string' ? body.length : body.byteLength) > 0) {
      throw new TypeError(`Response with null body status ${this.status} cannot have a body.`);
    }
    heldBodies.set(this, { value: body, stream: undefined, read: false });
  }

  static {
    serveHeldBody(CompleteResponse.prototype);
  }
}

/** A Request whose whole body is in hand (a function URL event carries it whole). */
export class CompleteRequest extends Request {
  constructor(url: string, init: Omit<RequestInit, 'body'>, body: Uint8Array | string | undefined) {
    super(url, init);
    if (body !== undefined && (this.method === 'GET' || this.method === 'HEAD')) {
      throw new TypeError('Request with GET/HEAD method cannot have body.');
    }
    heldBodies.set(this, { value: body, stream: undefined, read: false });
  }

  static {
    serveHeldBody(CompleteRequest.prototype);
  }
}

/** A Response with the whole body in hand; see CompleteResponse. */
export function completeResponse(body: Uint8Array | string, init: ResponseInit): Response {
  return new CompleteResponse(body, init);
}

/**
 * The body a Request or Response was made with, whole, unless it has been read or streamed
 * since. Undefined for any other message (read it as usual).
 */
export function completeBodyOf(message: Request | Response): Uint8Array | string | undefined {
  const body = heldBodies.get(message);
  if (body === undefined || isUsed(body) || body.stream !== undefined) return undefined;
  return body.value;
}

/** Like `completeBodyOf`, and the body counts as read from then on, as after `arrayBuffer()`. */
export function takeCompleteBody(message: Request | Response): Uint8Array | string | undefined {
  const value = completeBodyOf(message);
  if (value !== undefined) held(message).read = true;
  return value;
}
