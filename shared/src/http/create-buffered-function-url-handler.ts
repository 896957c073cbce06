import { InternalGatewayError } from '../core/gateway-error.ts';
import { requestFromFunctionUrlEvent, type FunctionUrlEvent } from './function-url-event.ts';

/** What a function URL in BUFFERED invoke mode expects back from its function. */
export interface FunctionUrlBufferedResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** Anything that answers a web Request, such as the admin engine. */
export interface WebRequestHandler {
  handle(request: Request): Promise<Response>;
}

const TEXT_CONTENT_TYPE = /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b)/i;

/**
 * A buffered function URL handler body: event → `handler` → the whole response in one result.
 * For functions whose answers are small (the admin API); the gateway streams instead.
 */
export function createBufferedFunctionUrlHandler(
  handler: WebRequestHandler,
): (event: FunctionUrlEvent) => Promise<FunctionUrlBufferedResult> {
  return async (event) => {
    try {
      return await bufferedResultFromResponse(await handler.handle(requestFromFunctionUrlEvent(event)));
    } catch (error) {
      console.error('turnpike: a buffered handler threw instead of answering', error);
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(new InternalGatewayError().toOpenAIError()),
        isBase64Encoded: false,
      };
    }
  };
}

/** Read a web Response whole; text and JSON stay text, anything else is sent base64-encoded. */
export async function bufferedResultFromResponse(response: Response): Promise<FunctionUrlBufferedResult> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  const isText = TEXT_CONTENT_TYPE.test(response.headers.get('content-type') ?? 'text/plain');
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    statusCode: response.status,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    body: isText ? bytes.toString('utf8') : bytes.toString('base64'),
    isBase64Encoded: !isText,
  };
}
