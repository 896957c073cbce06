import type { ServerResponse } from 'node:http';

/**
 * The answers the function URL service itself gives when the function cannot: a crashed
 * invocation, or a request larger than Lambda's invocation payload limit.
 */
export type LambdaServiceFailure = { kind: 'function-error' } | { kind: 'request-too-large'; limitBytes: number };

/** Answer with the service's own error (a `{"Message": ...}` JSON body), unless the head is already out. */
export function writeLambdaErrorResponse(response: ServerResponse, failure: LambdaServiceFailure): void {
  if (response.headersSent || response.destroyed) return;
  const [status, errorType, message] =
    failure.kind === 'function-error'
      ? [502, 'Function.Unhandled', 'Internal Server Error']
      : [
          413,
          'RequestEntityTooLargeException',
          `Request must be smaller than ${failure.limitBytes} bytes for the InvokeFunction operation`,
        ];
  const body = JSON.stringify({ Message: message });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': errorType,
  });
  response.end(body);
}
