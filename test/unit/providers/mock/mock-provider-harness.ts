import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { createMockProvider } from '../../../../shared/src/providers/mock/mock-provider.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

/** 2023-11-14T22:13:20Z: every mock answer in these tests is "created" at this second. */
export const START_MS = 1_700_000_000_000;

export function mockProvider(clock: FakeClock = new FakeClock(START_MS)): ProviderModel {
  return createMockProvider({ clock });
}

/** A ProviderRequest for the mock as the engine would build it; `body.stream` sets `stream`. */
export function mockRequest(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const body = overrides.body;
  return {
    endpoint: 'chat.completions',
    method: 'POST',
    path: '/chat/completions',
    search: '',
    body: undefined,
    rawBody: undefined,
    contentType: body === undefined ? undefined : 'application/json',
    stream: body?.stream === true,
    headers: new Headers(),
    metadata: {},
    target: { provider: 'mock', forwardHeaders: [], options: {} },
    signal: new AbortController().signal,
    attempt: 0,
    ...overrides,
  };
}

export function chatRequest(body: JsonObject, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return mockRequest({ body: { model: 'mock-model', ...body }, ...overrides });
}

export function userSays(text: string): JsonObject {
  return { messages: [{ role: 'user', content: text }] };
}

export function complete(response: ProviderResponse): Extract<ProviderResponse, { kind: 'complete' }> {
  if (response.kind !== 'complete') throw new Error(`expected a complete answer, got ${response.kind}`);
  return response;
}

export function streamed(response: ProviderResponse): Extract<ProviderResponse, { kind: 'stream' }> {
  if (response.kind !== 'stream') throw new Error(`expected a stream, got ${response.kind}`);
  return response;
}

export function binary(response: ProviderResponse): Extract<ProviderResponse, { kind: 'binary' }> {
  if (response.kind !== 'binary') throw new Error(`expected binary, got ${response.kind}`);
  return response;
}

/** The parsed JSON of a complete answer. */
export function jsonOf(response: ProviderResponse): JsonObject {
  return JSON.parse(new TextDecoder().decode(complete(response).body)) as JsonObject;
}

export async function readAll(stream: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function readText(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  return new TextDecoder().decode(await readAll(stream));
}

/** The `data:` payloads of an SSE text, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** The parsed JSON chunks of an SSE text, without the `[DONE]` marker. */
export function sseChunks(text: string): JsonObject[] {
  return sseData(text)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as JsonObject);
}

/** The content text of each choice index of a streamed chat answer, joined. */
export function streamedContent(chunks: readonly JsonObject[]): string[] {
  const texts: string[] = [];
  for (const chunk of chunks) {
    const choices = chunk.choices as JsonObject[] | undefined;
    for (const choice of choices ?? []) {
      const index = choice.index as number;
      const delta = choice.delta as JsonObject;
      if (typeof delta.content === 'string') texts[index] = (texts[index] ?? '') + delta.content;
    }
  }
  return texts;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Let pending promise chains run (stream pulls, sleeps that were just aborted). */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}
