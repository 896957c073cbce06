/**
 * Reading a provider's "try again later" hint. OpenAI sends `retry-after-ms` beside the
 * standard `retry-after` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date); the
 * millisecond form is more precise, so it wins when both are present and valid.
 */

const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * The delay a provider asked for, in milliseconds from `nowMs`, or undefined when the
 * headers carry no usable hint. A date in the past means "now" (0).
 */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const milliseconds = headers.get('retry-after-ms')?.trim();
  if (milliseconds !== undefined && DELAY_SECONDS.test(milliseconds)) {
    return Math.ceil(Number(milliseconds));
  }
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (DELAY_SECONDS.test(value)) return Math.ceil(Number(value) * 1000);
  // Only letters, digits, spaces, commas, colons and '-' appear in an HTTP-date; rejecting
  // anything else keeps Date.parse from guessing at garbage such as "1e3" or "soon".
  if (!/^[A-Za-z]+,? [\w :-]+$/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
