import type { JsonObject } from '../../core/json.ts';
import type { MockAnswer } from './mock-answer.ts';
import { MockInvalidRequest } from './mock-request-fields.ts';
import { encodeTonePcm, wrapPcmAsWav } from './wav-audio.ts';

/** 40 ms of "speech" a character, between 0.1 s and 3 s, so longer input gives longer audio. */
export function speechDurationMs(input: string): number {
  return Math.min(3000, Math.max(100, input.length * 40));
}

/**
 * POST /audio/speech: a short tone whose length follows the input's. Only `wav` and `pcm`
 * are made; other formats (mp3, opus, aac, flac) get WAV bytes labelled honestly as audio/wav.
 */
export function answerSpeech(body: JsonObject): MockAnswer {
  const input = body.input;
  if (typeof input !== 'string' || input === '') {
    throw new MockInvalidRequest("'input' must be a non-empty string.", 'input', 'missing_required_parameter');
  }
  if (input.length > 4096) throw new MockInvalidRequest("'input' must be at most 4096 characters.", 'input');
  const pcm = encodeTonePcm(speechDurationMs(input));
  if (body.response_format === 'pcm') return { kind: 'bytes', status: 200, contentType: 'audio/pcm', body: pcm };
  return { kind: 'bytes', status: 200, contentType: 'audio/wav', body: wrapPcmAsWav(pcm) };
}
