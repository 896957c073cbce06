import { promisify } from 'node:util';
import { type BrotliOptions, brotliCompress, brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { isJsonObject } from '../core/json.ts';
import { type LoggedBodies, type LoggedBody, truncateLoggedBody } from './logged-bodies.ts';

/**
 * Largest compressed size of the bodies in one log item. A DynamoDB item holds at most
 * 400 KB (names and values together); the record itself takes a few KB, so this leaves a
 * wide margin.
 */
export const BODIES_BUDGET_BYTES = 256 * 1024;

/** The JSON as it is: what small bodies are stored as. */
const RAW_FORMAT = 0;
const BROTLI_FORMAT = 1;
// Below this, compression saves a few hundred bytes of a log item and costs more CPU than
// building the rest of the entry; the bodies are stored as they are.
const RAW_BELOW_BYTES = 1024;
// Up to this size brotli takes less time on the event loop than handing the work to libuv's
// thread pool and back; above it, the pool keeps the loop free for requests.
const SYNC_COMPRESSION_BELOW_BYTES = 8192;
// Quality 5 compresses JSON nearly as well as the default 11 at a small fraction of the CPU.
const BROTLI_QUALITY = 5;
// Each round cuts the bodies to the share that should fit, with this margin; a few rounds suffice.
const SHRINK_MARGIN = 0.85;
const SHRINK_ROUNDS = 4;

const compress = promisify(brotliCompress);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function brotliOptions(byteLength: number): BrotliOptions {
  // A window no larger than the input: the default 4 MiB one is allocated (and cleared) for a
  // few kilobytes otherwise.
  const windowBits = Math.min(constants.BROTLI_MAX_WINDOW_BITS, Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(byteLength + 1))));
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: byteLength,
      [constants.BROTLI_PARAM_LGWIN]: windowBits,
    },
  };
}

function withFormat(format: number, bytes: Uint8Array): Uint8Array {
  const packed = new Uint8Array(bytes.byteLength + 1);
  packed[0] = format;
  packed.set(bytes, 1);
  return packed;
}

async function pack(bodies: LoggedBodies): Promise<Uint8Array> {
  const text = encoder.encode(JSON.stringify(bodies));
  if (text.byteLength < RAW_BELOW_BYTES) return withFormat(RAW_FORMAT, text);
  const options = brotliOptions(text.byteLength);
  const compressed = text.byteLength < SYNC_COMPRESSION_BELOW_BYTES ? brotliCompressSync(text, options) : await compress(text, options);
  return withFormat(BROTLI_FORMAT, compressed);
}

function shrink(body: LoggedBody | undefined, share: number): LoggedBody | undefined {
  return body === undefined ? undefined : truncateLoggedBody(body, body.text.length * share);
}

function withBodies(bodies: LoggedBodies, request: LoggedBody | undefined, response: LoggedBody | undefined): LoggedBodies {
  const result: LoggedBodies = { mode: bodies.mode };
  if (request !== undefined) result.request = request;
  if (response !== undefined) result.response = response;
  return result;
}

/**
 * Encode the bodies for `LogEntry.bodies`: one format byte, then the JSON as it is when it is
 * under 1 KiB, brotli-compressed otherwise (on the event loop up to 8 KiB, on libuv's thread
 * pool above). When the result passes `budgetBytes`, the bodies are cut (each ending with the
 * truncation marker) and compressed again until they fit.
 */
export async function encodeLoggedBodies(bodies: LoggedBodies, budgetBytes: number = BODIES_BUDGET_BYTES): Promise<Uint8Array> {
  let packed = await pack(bodies);
  let share = 1;
  for (let round = 0; round < SHRINK_ROUNDS && packed.byteLength > budgetBytes; round++) {
    share *= (budgetBytes / packed.byteLength) * SHRINK_MARGIN;
    packed = await pack(withBodies(bodies, shrink(bodies.request, share), shrink(bodies.response, share)));
  }
  if (packed.byteLength <= budgetBytes) return packed;
  // Incompressible content that still does not fit: keep only the notes.
  const note = (body: LoggedBody | undefined): LoggedBody | undefined =>
    body === undefined ? undefined : truncateLoggedBody({ ...body, format: 'omitted' }, 0);
  return pack(withBodies(bodies, note(bodies.request), note(bodies.response)));
}

/** Read what encodeLoggedBodies wrote; throws on bytes this version did not write. */
export function decodeLoggedBodies(packed: Uint8Array): LoggedBodies {
  const format = packed[0];
  if (format !== RAW_FORMAT && format !== BROTLI_FORMAT) throw new Error(`Unknown logged bodies format ${String(format)}.`);
  const json = format === RAW_FORMAT ? packed.subarray(1) : brotliDecompressSync(packed.subarray(1));
  const parsed: unknown = JSON.parse(decoder.decode(json));
  if (!isJsonObject(parsed) || (parsed.mode !== 'full' && parsed.mode !== 'redacted')) throw new Error('The logged bodies are not in the expected shape.');
  return parsed as unknown as LoggedBodies;
}
