import { PayloadTooLargeError } from '../core/gateway-error.ts';
import { takeCompleteBody } from './complete-response.ts';

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * Read the whole body, refusing with 413 as soon as it passes `limitBytes` so an oversized
 * upload is never held in memory in full.
 */
export async function readRequestBody(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const whole = takeCompleteBody(request);
  if (whole !== undefined) {
    // The function URL layer hands the body over whole: no stream to read it through.
    const bytes = typeof whole === 'string' ? encoder.encode(whole) : whole;
    if (bytes.byteLength > limitBytes) throw new PayloadTooLargeError(limitBytes);
    return bytes;
  }
  if (request.body === null) return EMPTY;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
