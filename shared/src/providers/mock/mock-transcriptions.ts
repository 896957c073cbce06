import { jsonAnswer, type MockAnswer } from './mock-answer.ts';
import { MockInvalidRequest } from './mock-request-fields.ts';

const encoder = new TextEncoder();

/** The mock does not listen to the audio, so every clip "lasts" one second. */
const DURATION_SECONDS = 1;

async function readForm(bytes: Uint8Array, contentType: string | null): Promise<FormData> {
  if (contentType === null || !contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new MockInvalidRequest('The body must be multipart/form-data with a file field.', 'file');
  }
  try {
    return await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new MockInvalidRequest('The multipart body could not be read.', 'file');
  }
}

function textAnswer(text: string): MockAnswer {
  return { kind: 'bytes', status: 200, contentType: 'text/plain; charset=utf-8', body: encoder.encode(text) };
}

/**
 * POST /audio/transcriptions and /audio/translations: reads the multipart upload and
 * "transcribes" it as a sentence naming the file and its size, in any of OpenAI's formats.
 */
export async function answerTranscription(
  bytes: Uint8Array,
  contentType: string | null,
  task: 'transcribe' | 'translate',
): Promise<MockAnswer> {
  const form = await readForm(bytes, contentType);
  const file = form.get('file');
  if (file === null || typeof file === 'string') {
    throw new MockInvalidRequest("'file' must be an uploaded file.", 'file', 'missing_required_parameter');
  }
  const noun = task === 'transcribe' ? 'transcription' : 'translation';
  const text = `Mock ${noun} of ${file.name} (${file.size} bytes)`;
  const format = form.get('response_format') ?? 'json';
  const language = form.get('language');
  switch (format) {
    case 'json':
      return jsonAnswer({ text });
    case 'text':
      return textAnswer(text);
    case 'srt':
      return textAnswer(`1\n00:00:00,000 --> 00:00:01,000\n${text}\n\n`);
    case 'vtt':
      return textAnswer(`WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${text}\n\n`);
    case 'verbose_json':
      return jsonAnswer({
        task,
        language: typeof language === 'string' && task === 'transcribe' ? language : 'english',
        duration: DURATION_SECONDS,
        text,
        segments: [{ id: 0, seek: 0, start: 0, end: DURATION_SECONDS, text, tokens: [], temperature: 0 }],
      });
    default:
      throw new MockInvalidRequest("'response_format' must be json, text, srt, vtt or verbose_json.", 'response_format');
  }
}
