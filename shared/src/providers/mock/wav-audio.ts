/**
 * 16-bit mono PCM and its WAV (RIFF) wrapping, for the mock's text-to-speech. The samples
 * are a quiet triangle wave computed with integers only, so every runtime makes the same bytes.
 */

/** OpenAI's `pcm` speech format is 24 kHz, 16-bit signed little-endian mono. */
export const SAMPLE_RATE = 24_000;

/** 48 samples per period at 24 kHz: a 500 Hz tone. */
const PERIOD = 48;
const AMPLITUDE = 3000;

/** Raw PCM samples for `durationMs` milliseconds. */
export function encodeTonePcm(durationMs: number): Uint8Array {
  const samples = Math.round((SAMPLE_RATE * durationMs) / 1000);
  const view = new DataView(new ArrayBuffer(samples * 2));
  for (let index = 0; index < samples; index += 1) {
    const phase = index % PERIOD;
    const triangle = Math.abs(phase - PERIOD / 2) - PERIOD / 4;
    view.setInt16(index * 2, Math.round((AMPLITUDE * triangle) / (PERIOD / 4)), true);
  }
  return new Uint8Array(view.buffer);
}

/** PCM samples with the 44-byte RIFF/WAVE header in front (format 1 = PCM). */
export function wrapPcmAsWav(pcm: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset: number, text: string): void => {
    for (let index = 0; index < text.length; index += 1) header.setUint8(offset + index, text.charCodeAt(index));
  };
  ascii(0, 'RIFF');
  header.setUint32(4, 36 + pcm.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, SAMPLE_RATE, true);
  header.setUint32(28, SAMPLE_RATE * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  ascii(36, 'data');
  header.setUint32(40, pcm.byteLength, true);
  const wav = new Uint8Array(44 + pcm.byteLength);
  wav.set(new Uint8Array(header.buffer), 0);
  wav.set(pcm, 44);
  return wav;
}
