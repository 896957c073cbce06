import type { Writable } from 'node:stream';
import type { FunctionUrlEvent } from './function-url-event.ts';

/** The parts of the Lambda context object the gateway and its local emulator rely on. */
export interface LambdaInvocationContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
  callbackWaitsForEmptyEventLoop: boolean;
}

/** What the result of a handler in response-streaming mode turns into: an HTTP response head and a body. */
export interface FunctionUrlStreamingResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: ReadableStream<Uint8Array> | string;
}

/**
 * A handler wrapped by `awslambda.streamifyResponse`, as the Lambda runtime (or the local
 * emulator) calls it: the response goes into `responseStream`, not into the return value.
 */
export type FunctionUrlStreamingHandler = (
  event: FunctionUrlEvent,
  responseStream: Writable,
  context: LambdaInvocationContext,
) => Promise<void>;
