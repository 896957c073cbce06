import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';

/**
 * A cached answer's bytes: one format byte, then the answer's JSON text, raw or
 * brotli-compressed. Small answers stay raw (compressing them saves little and costs a
 * decompression on every hit); larger ones are compressed, which lets answers several
 * times the 400 KB DynamoDB item limit still fit.
 */
const RAW_FORMAT = 0;
const BROTLI_FORMAT = 1;
const COMPRESS_FROM_BYTES = 1024;
// Quality 5 compresses JSON nearly as well as the default 11 at a small fraction of the CPU.
const BROTLI_QUALITY = 5;

const compress = promisify(brotliCompress);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function withFormat(format: number, payload: Uint8Array): Uint8Array {
  const value = new Uint8Array(payload.byteLength + 1);
  value[0] = format;
  value.set(payload, 1);
  return value;
}

/** The bytes to store for an answer; compression runs on libuv's thread pool, off the event loop. */
export async function encodeCachedAnswer(json: string): Promise<Uint8Array> {
  const text = encoder.encode(json);
  if (text.byteLength < COMPRESS_FROM_BYTES) return withFormat(RAW_FORMAT, text);
  const compressed = await compress(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.byteLength,
    },
  });
  return withFormat(BROTLI_FORMAT, compressed);
}

/** The answer's JSON text from stored bytes; throws on bytes this version did not write. */
export function decodeCachedAnswer(value: Uint8Array): string {
  const payload = value.subarray(1);
  switch (value[0]) {
    case RAW_FORMAT:
      return decoder.decode(payload);
    case BROTLI_FORMAT:
      // Synchronous: hits are small and a thread-pool round trip would cost more than it saves.
      return decoder.decode(brotliDecompressSync(payload));
    default:
      throw new Error(`Unknown cached answer format ${String(value[0])}.`);
  }
}
