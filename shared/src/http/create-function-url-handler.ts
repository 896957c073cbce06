import { InternalGatewayError } from '../core/gateway-error.ts';
import { completeBodyOf } from '../engine/complete-response.ts';
import type { GatewayEngine } from '../engine/gateway-engine.ts';
import { iamPrincipalFromFunctionUrlEvent, requestFromFunctionUrlEvent, type FunctionUrlEvent } from './function-url-event.ts';
import type { FunctionUrlStreamingResult } from './function-url-streaming-handler.ts';

/**
 * The function URL handler body: event → engine → the `{statusCode, headers, cookies, body}`
 * result that middy's streaming mode writes as the response prelude and body.
 */
export function createFunctionUrlHandler(
  engine: GatewayEngine,
): (event: FunctionUrlEvent, context: unknown) => Promise<FunctionUrlStreamingResult> {
  return async (event) => {
    try {
      // Only an AWS_IAM URL has Lambda verify the signer; on NONE an `authorizer` field means nothing.
      const context = engine.functionUrlAuth === 'AWS_IAM' ? { iamPrincipalArn: iamPrincipalFromFunctionUrlEvent(event) } : undefined;
      const response = await engine.handle(requestFromFunctionUrlEvent(event), context);
      return streamingResultFromResponse(response);
    } catch (error) {
      // An escaped error would crash the invocation and the caller would get Lambda's bare 502;
      // the engine is meant to render its own errors, so reaching here is a bug worth logging.
      console.error('turnpike: the gateway engine threw instead of answering', error);
      return internalErrorResult();
    }
  };
}

/** Split a web Response into the parts the Lambda response prelude carries. */
export function streamingResultFromResponse(response: Response): FunctionUrlStreamingResult {
  const headers: Record<string, string> = {};
  // Headers iteration already joins repeated values with ", " and yields set-cookie one by one.
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    body: completeBodyText(response) ?? response.body ?? '',
  };
}

/**
 * middy writes a string body with one write, where a stream costs a Node Readable, a pipeline
 * and their teardown. It cuts longer strings every 16,384 UTF-16 units, which can split a
 * surrogate pair and corrupt that character, so longer bodies stay streams.
 */
const MAX_STRING_BODY_LENGTH = 16_384;
// Fatal and BOM-keeping: a body is passed as text only when the text encodes back to the same bytes.
const exactUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The whole body of a complete answer as text that encodes back to its exact bytes, if it is short enough for one write. */
function completeBodyText(response: Response): string | undefined {
  const body = completeBodyOf(response);
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body.length <= MAX_STRING_BODY_LENGTH ? body : undefined;
  // Each UTF-16 unit takes at most three UTF-8 bytes: past this the text is surely too long.
  if (body.byteLength > 3 * MAX_STRING_BODY_LENGTH) return undefined;
  let text: string;
  try {
    text = exactUtf8.decode(body);
  } catch {
    // Not UTF-8 (an image, audio): the bytes go as a stream, untouched.
    return undefined;
  }
  return text.length <= MAX_STRING_BODY_LENGTH ? text : undefined;
}

function internalErrorResult(): FunctionUrlStreamingResult {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(new InternalGatewayError().toOpenAIError()),
  };
}
