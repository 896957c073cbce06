import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { httpIntegrationResponseContentType, preludeDelimiter } from './awslambda-shim.ts';
import { writeLambdaErrorResponse } from './lambda-error-responses.ts';

// Streamed function URL responses go out chunked; a length or framing header from the handler
// would contradict that (and Node would reject the mismatch).
const framingHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * The response stream a streaming handler writes into, turning what the function URL service
 * would receive into an HTTP response: the JSON prelude becomes the status line and headers,
 * every later chunk goes to the client as it arrives, and the next write waits for the socket
 * to drain.
 */
export class FunctionUrlResponseStream extends Writable {
  private readonly response: ServerResponse;
  private contentType: string | undefined;
  private preludeBytes: Buffer = Buffer.alloc(0);
  /** The socket corked while the head waits for the first body bytes, until it is released. */
  private corkedSocket: Socket | undefined;

  constructor(response: ServerResponse) {
    super();
    this.response = response;
  }

  /** Called by `HttpResponseStream.from`; without the prelude type the whole stream is the body. */
  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length === 0) {
      callback();
      return;
    }
    if (this.response.headersSent) {
      this.writeBody(chunk, callback);
      return;
    }
    if (this.contentType !== httpIntegrationResponseContentType) {
      this.response.writeHead(200, { 'content-type': this.contentType ?? 'application/octet-stream' });
      this.writeBody(chunk, callback);
      return;
    }
    this.preludeBytes = Buffer.concat([this.preludeBytes, chunk]);
    const delimiterAt = this.preludeBytes.indexOf(preludeDelimiter);
    if (delimiterAt === -1) {
      callback();
      return;
    }
    if (!this.writeHeadFromPrelude(this.preludeBytes.subarray(0, delimiterAt))) {
      callback(new Error('The response prelude is not a JSON object with a statusCode.'));
      return;
    }
    const rest = this.preludeBytes.subarray(delimiterAt + preludeDelimiter.length);
    this.preludeBytes = Buffer.alloc(0);
    if (rest.length === 0) callback();
    else this.writeBody(rest, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.response.headersSent) {
      if (this.contentType === httpIntegrationResponseContentType) {
        // The handler ended the stream before finishing its prelude: no valid response.
        callback(new Error('The response stream ended inside the prelude.'));
        return;
      }
      this.response.writeHead(200, { 'content-type': this.contentType ?? 'application/octet-stream' });
    }
    if (this.response.destroyed) {
      this.releaseCork();
      callback();
      return;
    }
    this.response.end(() => callback());
    // The whole response is written: send it now rather than at the end of the turn.
    this.releaseCork();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.releaseCork();
    if (error !== null && !this.response.writableEnded) {
      if (this.response.headersSent) {
        // Part of the body is out: cut the connection so the client sees a truncated response,
        // not a clean end.
        this.response.destroy();
      } else {
        writeLambdaErrorResponse(this.response, { kind: 'function-error' });
      }
    }
    callback(error);
  }

  private writeHeadFromPrelude(preludeText: Buffer): boolean {
    let prelude: unknown;
    try {
      prelude = JSON.parse(preludeText.toString('utf8'));
    } catch {
      return false;
    }
    if (typeof prelude !== 'object' || prelude === null) return false;
    const { statusCode, headers, cookies } = prelude as Record<string, unknown>;
    if (statusCode !== undefined && typeof statusCode !== 'number') return false;

    const responseHeaders: Record<string, string | string[]> = {};
    if (typeof headers === 'object' && headers !== null) {
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value === 'string' && !framingHeaders.has(name.toLowerCase())) responseHeaders[name] = value;
      }
    }
    if (Array.isArray(cookies)) {
      const setCookies = cookies.filter((cookie): cookie is string => typeof cookie === 'string');
      if (setCookies.length > 0) responseHeaders['set-cookie'] = setCookies;
    }
    try {
      this.response.writeHead(statusCode ?? 200, responseHeaders);
    } catch {
      // An out-of-range status or a header value Node refuses: as malformed as bad JSON.
      return false;
    }
    // The head goes out at the end of this turn of the event loop, with whatever body the
    // handler writes in the same turn: a whole non-streamed answer and its end then leave in
    // one packet instead of three. A stream whose first chunk takes longer does not hold the
    // head back: the client sees the status at once either way.
    const socket = this.response.socket;
    if (socket !== null) {
      // The socket, not the response: a finished response lets go of its socket, which must not stay corked.
      socket.cork();
      this.corkedSocket = socket;
      setImmediate(() => this.releaseCork());
    }
    this.response.flushHeaders();
    return true;
  }

  /** Send what the cork held back; once per cork, so a later response on the socket keeps its own. */
  private releaseCork(): void {
    const socket = this.corkedSocket;
    this.corkedSocket = undefined;
    socket?.uncork();
  }

  private writeBody(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.response.write(chunk)) {
      callback();
      return;
    }
    const settle = (): void => {
      this.response.off('drain', settle);
      this.response.off('close', settle);
      callback();
    };
    this.response.on('drain', settle);
    this.response.on('close', settle);
  }
}
