import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants } from 'node:zlib';
import { isJsonObject } from '../core/json.ts';
import { type LoggedBodies, type LoggedBody, truncateLoggedBody } from './logged-bodies.ts';

/**
 * Largest compressed size of the bodies in one log item. A DynamoDB item holds at most
 * 400 KB (names and values together); the record itself takes a few KB, so this leaves a
 * wide margin.
 */
export const BODIES_BUDGET_BYTES = 256 * 1024;

const BROTLI_FORMAT = 1;
// Quality 5 compresses JSON nearly as well as the default 11 at a small fraction of the CPU.
const BROTLI_QUALITY = 5;
// Each round cuts the bodies to the share that should fit, with this margin; a few rounds suffice.
const SHRINK_MARGIN = 0.85;
const SHRINK_ROUNDS = 4;

const compress = promisify(brotliCompress);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function pack(bodies: LoggedBodies): Promise<Uint8Array> {
  const text = encoder.encode(JSON.stringify(bodies));
  const compressed = await compress(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.byteLength,
    },
  });
  const packed = new Uint8Array(compressed.byteLength + 1);
  packed[0] = BROTLI_FORMAT;
  packed.set(compressed, 1);
  return packed;
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
 * Compress the bodies for `LogEntry.bodies` (brotli on libuv's thread pool, off the event
 * loop). When the result passes `budgetBytes`, the bodies are cut (each ending with the
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
  if (packed[0] !== BROTLI_FORMAT) throw new Error(`Unknown logged bodies format ${String(packed[0])}.`);
  const parsed: unknown = JSON.parse(decoder.decode(brotliDecompressSync(packed.subarray(1))));
  if (!isJsonObject(parsed) || (parsed.mode !== 'full' && parsed.mode !== 'redacted')) throw new Error('The logged bodies are not in the expected shape.');
  return parsed as unknown as LoggedBodies;
}
