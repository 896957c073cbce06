import middy from '@middy/core';
import { createAdminEngine } from '@turnpike/shared/engine/create-admin-engine';
import {
  type FunctionUrlBufferedResult,
  createBufferedFunctionUrlHandler,
} from '@turnpike/shared/http/create-buffered-function-url-handler';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';
import { GATEWAY_VERSION } from '@turnpike/shared/runtime/version';

// Built once per container. The admin URL uses AWS_IAM auth, so Lambda has already checked the
// caller's SigV4 signature and lambda:InvokeFunctionUrl permission before this runs.
const handleEvent = createBufferedFunctionUrlHandler(createAdminEngine({ version: GATEWAY_VERSION }));

/** The admin API's function URL handler (buffered): GET /health for now; every other route is a 404. */
export const handler = middy<FunctionUrlEvent, FunctionUrlBufferedResult>().handler((event) => handleEvent(event));
