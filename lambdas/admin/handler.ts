import middy from '@middy/core';
import type { FunctionUrlBufferedResult } from '@turnpike/shared/http/create-buffered-function-url-handler';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';
import { createAdminRuntimeFromEnvironment } from '@turnpike/shared/runtime/admin-runtime';
import { buildAdminHandler } from './build-admin-handler.ts';

// Built once per container at init (top-level await in ESM). The admin URL uses AWS_IAM auth,
// so Lambda has already checked the caller's SigV4 signature and lambda:InvokeFunctionUrl
// permission before this runs; the caller's ARN is the actor in the audit log.
export const runtime = await createAdminRuntimeFromEnvironment(process.env);
const handleEvent = buildAdminHandler(runtime);

/** The admin API's function URL handler (buffered): docs/ADMIN-API.md. */
export const handler = middy<FunctionUrlEvent, FunctionUrlBufferedResult>().handler((event) => handleEvent(event));
