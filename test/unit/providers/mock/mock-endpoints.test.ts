import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import {
  binary,
  complete,
  failure,
  jsonOf,
  mockProvider,
  mockRequest,
  readAll,
  START_MS,
} from './mock-provider-harness.ts';

function embeddingsRequest(body: JsonObject) {
  return mockRequest({ endpoint: 'embeddings', path: '/embeddings', body });
}

function vectors(answer: JsonObject): number[][] {
  return (answer.data as JsonObject[]).map((item) => item.embedding as number[]);
}

/** Checks a PNG's signature and every chunk's CRC, and returns its width, height and pixel bytes. */
function readPng(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = new Map<string, Uint8Array>();
  let offset = 8;
  while (offset < bytes.byteLength) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    chunks.set(type, data);
    offset += 12 + length;
  }
  expect([...chunks.keys()]).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks.get('IHDR') as Uint8Array;
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  return {
    width: headerView.getUint32(0),
    height: headerView.getUint32(4),
    pixels: new Uint8Array(inflateSync(chunks.get('IDAT') as Uint8Array)),
  };
}

function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

describe('mock embeddings', () => {
  it('gives each input a deterministic unit vector of 8 dimensions by default', async () => {
    const provider = mockProvider();
    const answer = jsonOf(await provider.call(embeddingsRequest({ model: 'mock-embedding', input: ['alpha', 'beta', 'alpha'] })));
    const [alpha, beta, alphaAgain] = vectors(answer);

    expect(answer).toMatchObject({ object: 'list', model: 'mock-embedding', usage: { prompt_tokens: 5, total_tokens: 5 } });
    expect(alpha).toHaveLength(8);
    expect(Math.hypot(...(alpha as number[]))).toBeCloseTo(1, 6);
    expect(alphaAgain).toEqual(alpha);
    expect(beta).not.toEqual(alpha);

    const single = jsonOf(await provider.call(embeddingsRequest({ input: 'alpha' })));
    expect(vectors(single)).toEqual([alpha]);
    expect(single.model).toBe('mock-embedding');
  });

  it('honours dimensions and the base64 encoding format', async () => {
    const provider = mockProvider();
    const floats = vectors(jsonOf(await provider.call(embeddingsRequest({ input: 'text', dimensions: 3 }))))[0] as number[];
    expect(floats).toHaveLength(3);

    const encoded = jsonOf(await provider.call(embeddingsRequest({ input: 'text', dimensions: 3, encoding_format: 'base64' })));
    const bytes = base64Bytes((encoded.data as JsonObject[])[0]?.embedding as string);
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    expect(decoded).toEqual(floats);
  });

  it('refuses an empty input with a 400 naming it', async () => {
    const error = await failure(mockProvider().call(embeddingsRequest({ input: [] })));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 400, param: 'input' });
  });
});

describe('mock image generation', () => {
  const request = (body: JsonObject) => mockRequest({ endpoint: 'images.generations', path: '/images/generations', body });

  it('returns n valid PNGs as b64_json', async () => {
    const answer = jsonOf(await mockProvider().call(request({ prompt: 'a red fox', n: 2, response_format: 'b64_json' })));
    expect(answer.created).toBe(START_MS / 1000);
    const data = answer.data as JsonObject[];
    expect(data).toHaveLength(2);
    const images = data.map((item) => readPng(base64Bytes(item.b64_json as string)));
    for (const image of images) {
      expect(image.width).toBe(8);
      expect(image.height).toBe(8);
      expect(image.pixels).toHaveLength(8 * (1 + 8 * 3));
    }
    expect(data[0]?.revised_prompt).toBe('A mock image for: a red fox');
  });

  it('returns data: URLs for the url format', async () => {
    const answer = jsonOf(await mockProvider().call(request({ prompt: 'a red fox' })));
    const url = (answer.data as JsonObject[])[0]?.url as string;
    expect(url).toMatch(/^data:image\/png;base64,/);
    expect(readPng(base64Bytes(url.slice('data:image/png;base64,'.length))).width).toBe(8);
  });
});

describe('mock text to speech', () => {
  const request = (body: JsonObject) => mockRequest({ endpoint: 'audio.speech', path: '/audio/speech', body });

  it('returns a valid WAV whose length follows the input', async () => {
    const provider = mockProvider();
    const short = binary(await provider.call(request({ model: 'mock-tts', voice: 'alloy', input: 'Hi.', response_format: 'wav' })));
    expect(short.headers.get('content-type')).toBe('audio/wav');
    const bytes = await readAll(short.body);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ascii = (start: number) => new TextDecoder().decode(bytes.subarray(start, start + 4));
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(bytes.byteLength - 8);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(24_000);
    expect(view.getUint32(40, true)).toBe(bytes.byteLength - 44);

    const long = await readAll(binary(await provider.call(request({ input: 'A much longer sentence to say.', voice: 'alloy' }))).body);
    expect(long.byteLength).toBeGreaterThan(bytes.byteLength);
  });

  it('labels mp3 requests honestly as WAV and sends raw samples for pcm', async () => {
    const provider = mockProvider();
    const mp3 = binary(await provider.call(request({ input: 'Hello', voice: 'alloy', response_format: 'mp3' })));
    expect(mp3.headers.get('content-type')).toBe('audio/wav');
    const pcm = binary(await provider.call(request({ input: 'Hello', voice: 'alloy', response_format: 'pcm' })));
    expect(pcm.headers.get('content-type')).toBe('audio/pcm');
    const wav = await readAll(mp3.body);
    expect(await readAll(pcm.body)).toEqual(wav.subarray(44));
  });
});

describe('mock transcription and translation', () => {
  async function multipart(fields: Record<string, string>, file?: { name: string; bytes: number }) {
    const form = new FormData();
    if (file !== undefined) form.set('file', new Blob([new Uint8Array(file.bytes)], { type: 'audio/wav' }), file.name);
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    return {
      rawBody: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get('content-type') ?? undefined,
    };
  }

  it('transcribes a multipart upload as a sentence naming the file and its size', async () => {
    const upload = await multipart({ model: 'mock-whisper' }, { name: 'meeting.wav', bytes: 1234 });
    const response = await mockProvider().call(
      mockRequest({ endpoint: 'audio.transcriptions', path: '/audio/transcriptions', ...upload }),
    );
    expect(jsonOf(response)).toEqual({ text: 'Mock transcription of meeting.wav (1234 bytes)' });
  });

  it('answers text/plain for the text format, and translates too', async () => {
    const upload = await multipart({ model: 'mock-whisper', response_format: 'text' }, { name: 'talk.mp3', bytes: 10 });
    const response = complete(
      await mockProvider().call(mockRequest({ endpoint: 'audio.translations', path: '/audio/translations', ...upload })),
    );
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(new TextDecoder().decode(response.body)).toBe('Mock translation of talk.mp3 (10 bytes)');
  });

  it('refuses an upload without a file', async () => {
    const upload = await multipart({ model: 'mock-whisper' });
    const error = await failure(
      mockProvider().call(mockRequest({ endpoint: 'audio.transcriptions', path: '/audio/transcriptions', ...upload })),
    );
    expect(error).toMatchObject({ status: 400, param: 'file' });
  });
});

describe('mock models and passthrough', () => {
  it('lists the mock models', async () => {
    const answer = jsonOf(await mockProvider().call(mockRequest({ endpoint: 'models.list', method: 'GET', path: '/models' })));
    expect(answer.object).toBe('list');
    expect((answer.data as JsonObject[]).map((model) => model.id)).toEqual([
      'mock-model',
      'mock-embedding',
      'mock-image',
      'mock-tts',
      'mock-whisper',
    ]);
  });

  it('echoes any other call', async () => {
    const response = binary(
      await mockProvider().call(
        mockRequest({
          endpoint: 'passthrough',
          method: 'POST',
          path: '/files',
          search: '?purpose=batch&limit=2',
          rawBody: new TextEncoder().encode('hello'),
          contentType: 'text/plain',
        }),
      ),
    );
    expect(JSON.parse(new TextDecoder().decode(await readAll(response.body)))).toEqual({
      object: 'mock.echo',
      method: 'POST',
      path: '/files',
      query: { purpose: 'batch', limit: '2' },
      body_bytes: 5,
    });
  });

  it('answers one known model and 404 for an unknown one', async () => {
    const provider = mockProvider();
    const known = binary(await provider.call(mockRequest({ endpoint: 'passthrough', method: 'GET', path: '/models/mock-tts' })));
    expect(JSON.parse(new TextDecoder().decode(await readAll(known.body)))).toMatchObject({ id: 'mock-tts', object: 'model' });
    const error = await failure(provider.call(mockRequest({ endpoint: 'passthrough', method: 'GET', path: '/models/gpt-9' })));
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
