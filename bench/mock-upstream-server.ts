import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** What the benchmark's upstream answers, so the load generator can check a response is whole. */
export const MOCK_COMPLETION_TEXT = 'The quick brown fox jumps over the lazy dog.';
export const MOCK_STREAM_CHUNK_COUNT = 20;

const CREATED = 1_700_000_000;
const MODEL = 'gpt-4o-mini-2024-07-18';
const USAGE = { prompt_tokens: 12, completion_tokens: MOCK_STREAM_CHUNK_COUNT, total_tokens: 12 + MOCK_STREAM_CHUNK_COUNT };

// Built once: the upstream should cost the same few microseconds on every call, so that
// differences between targets come from the gateways alone.
const COMPLETION_BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: MODEL,
  choices: [
    { index: 0, message: { role: 'assistant', content: MOCK_COMPLETION_TEXT, refusal: null }, logprobs: null, finish_reason: 'stop' },
  ],
  usage: USAGE,
  system_fingerprint: 'fp_bench',
});

function streamChunk(delta: Record<string, string>, finishReason: string | null): string {
  const chunk = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

const WORDS = MOCK_COMPLETION_TEXT.split(/(?= )/);
const STREAM_EVENTS: string[] = Array.from({ length: MOCK_STREAM_CHUNK_COUNT }, (_, index) =>
  streamChunk(index === 0 ? { role: 'assistant', content: '' } : { content: WORDS[(index - 1) % WORDS.length] ?? '' }, null),
);
STREAM_EVENTS.push(streamChunk({}, 'stop'));
const USAGE_EVENT = `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices: [], usage: USAGE })}\n\n`;
const DONE_EVENT = 'data: [DONE]\n\n';

interface ChatRequestFlags {
  stream: boolean;
  includeUsage: boolean;
}

function readFlags(body: string): ChatRequestFlags {
  try {
    const parsed = JSON.parse(body) as { stream?: unknown; stream_options?: { include_usage?: unknown } };
    return { stream: parsed.stream === true, includeUsage: parsed.stream_options?.include_usage === true };
  } catch {
    return { stream: false, includeUsage: false };
  }
}

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `No route for ${request.method} ${request.url}`, type: 'invalid_request_error' } }));
    return;
  }
  const flags = readFlags(body);
  if (!flags.stream) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(COMPLETION_BODY) });
    response.end(COMPLETION_BODY);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Each event is its own write with no delay: the stream is as fast as the socket allows,
  // so time-to-first-chunk measures the gateway, not the upstream.
  for (const event of STREAM_EVENTS) response.write(event);
  if (flags.includeUsage) response.write(USAGE_EVENT);
  response.end(DONE_EVENT);
}

/** Start the benchmark's OpenAI-shaped upstream on 127.0.0.1 (`port` 0 picks a free one). */
export async function startMockUpstream(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => answer(request, response, Buffer.concat(parts).toString('utf8')));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  // Run as its own process so its work does not share an event loop with the load generator.
  const { port } = await startMockUpstream();
  console.log(`mock upstream listening on http://127.0.0.1:${port}`);
  process.on('SIGTERM', () => process.exit(0));
  // The benchmark holds this pipe open; if it dies without stopping us, do not linger.
  process.stdin.on('end', () => process.exit(0)).resume();
}
