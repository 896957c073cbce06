import { InternalGatewayError } from '../core/gateway-error.ts';
import type { GatewayEngine } from '../engine/gateway-engine.ts';
import { requestFromFunctionUrlEvent, type FunctionUrlEvent } from './function-url-event.ts';
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
      const response = await engine.handle(requestFromFunctionUrlEvent(event));
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
    body: response.body ?? '',
  };
}

function internalErrorResult(): FunctionUrlStreamingResult {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(new InternalGatewayError().toOpenAIError()),
  };
}
