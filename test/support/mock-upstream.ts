import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../../shared/src/core/json.ts';
import type { ProviderRequest, ResolvedTarget } from '../../shared/src/providers/provider-model.ts';

/** One request as the mock upstream received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type UpstreamHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

export interface MockUpstream {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  handle(handler: UpstreamHandler): void;
  /** Forget earlier requests (call between tests). */
  reset(): void;
  /** Resolves once the n-th request (0-based) has reached the handler. */
  requestArrived(index: number): Promise<RecordedRequest>;
  /** Resolves when the response to the n-th request closes, with whether it was finished. */
  responseClosed(index: number): Promise<{ finished: boolean }>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, standing in for a provider. */
export async function startMockUpstream(): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  let closed: Array<Promise<{ finished: boolean }>> = [];
  let handler: UpstreamHandler = (_request, response) => {
    response.writeHead(500).end('no handler');
  };
  const server = createServer((request, response) => {
    closed.push(
      new Promise((resolve) => {
        response.on('close', () => resolve({ finished: response.writableFinished }));
      }),
    );
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts);
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const upstream: MockUpstream = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    reset() {
      requests.length = 0;
      closed = [];
    },
    async requestArrived(index) {
      for (let waited = 0; requests[index] === undefined && waited < 400; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const request = requests[index];
      if (request === undefined) throw new Error(`request ${index} never arrived`);
      return request;
    },
    async responseClosed(index) {
      await upstream.requestArrived(index);
      const promise = closed[index];
      if (promise === undefined) throw new Error(`no response ${index}`);
      return promise;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return upstream;
}

const FIXTURES = new URL('../fixtures/provider-fixtures/', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** The `data:` payloads of a `*.chunks.txt` fixture. */
export function fixtureChunks(name: string): string[] {
  return fixtureText(name)
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The SSE bytes an OpenAI-style provider sends for these payloads, ending with [DONE]. */
export function sseFrames(payloads: readonly string[], done = true): string {
  return payloads.map((payload) => `data: ${payload}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

export function target(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return { provider: 'openai', apiKey: 'sk-test-secret', forwardHeaders: [], options: {}, ...overrides };
}

/** A chat.completions request as the engine would hand it over. */
export function providerRequest(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const body: JsonObject | undefined =
    'body' in overrides ? overrides.body : { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Invent a holiday.' }] };
  return {
    endpoint: 'chat.completions',
    method: 'POST',
    path: '/chat/completions',
    search: '',
    body,
    rawBody: undefined,
    contentType: 'application/json',
    stream: body?.stream === true,
    headers: new Headers({ 'content-type': 'application/json', accept: 'application/json' }),
    metadata: {},
    target: target(),
    signal: new AbortController().signal,
    attempt: 0,
    ...overrides,
  };
}

/** Answer with these bytes and headers. */
export function reply(status: number, body: string | Buffer, headers: Record<string, string> = {}): UpstreamHandler {
  return (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** Parse the `data:` payloads out of SSE text. */
export function ssePayloads(text: string): string[] {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => frame.replace(/^data: /, ''));
}
