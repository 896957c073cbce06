import OpenAI, { toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { createMockServerFetch, MOCK_BASE_URL } from '../../../../shared/src/providers/mock/mock-server.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { START_MS } from './mock-provider-harness.ts';

// The official SDK talking straight to the mock server proves the mock speaks OpenAI's wire
// format well enough for real clients, with no network and no gateway in between.
function client(): OpenAI {
  const mockFetch = createMockServerFetch({ clock: new FakeClock(START_MS) }, {});
  // The SDK always passes a URL string; its Fetch type also allows a Request.
  const fetch = (input: string | URL | Request, init?: RequestInit) =>
    mockFetch(input instanceof Request ? input.url : input, init);
  return new OpenAI({ apiKey: 'unused', baseURL: MOCK_BASE_URL, fetch, maxRetries: 0 });
}

describe('the mock server through the official OpenAI SDK', () => {
  it('answers chat completions whole and streamed', async () => {
    const openai = client();
    const whole = await openai.chat.completions.create({ model: 'mock-model', messages: [{ role: 'user', content: 'Hi SDK' }] });
    expect(whole.choices[0]?.message.content).toBe("Hello from Turnpike's mock provider. You said: Hi SDK");

    const stream = await openai.chat.completions.create({
      model: 'mock-model',
      messages: [{ role: 'user', content: 'Hi SDK' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let totalTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) totalTokens = chunk.usage.total_tokens;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(totalTokens).toBe(whole.usage?.total_tokens);
  });

  it('answers embeddings, images, speech, transcriptions and the model list', async () => {
    const openai = client();
    const embedding = await openai.embeddings.create({ model: 'mock-embedding', input: 'hello' });
    expect(embedding.data[0]?.embedding).toHaveLength(8);

    const image = await openai.images.generate({ model: 'mock-image', prompt: 'a fox', response_format: 'b64_json' });
    expect(image.data?.[0]?.b64_json).toMatch(/^iVBORw0KGgo/);

    const speech = await openai.audio.speech.create({ model: 'mock-tts', voice: 'alloy', input: 'Hello', response_format: 'wav' });
    const audio = new Uint8Array(await speech.arrayBuffer());
    expect(new TextDecoder().decode(audio.subarray(0, 4))).toBe('RIFF');

    const transcription = await openai.audio.transcriptions.create({
      model: 'mock-whisper',
      file: await toFile(audio, 'hello.wav', { type: 'audio/wav' }),
    });
    expect(transcription.text).toBe(`Mock transcription of hello.wav (${audio.byteLength} bytes)`);

    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('mock-whisper');
  });
});
