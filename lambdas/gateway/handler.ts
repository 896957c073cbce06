import { createRuntimeFromEnvironment } from '@turnpike/shared/runtime/create-runtime-from-environment';
import { buildGatewayHandler } from './build-gateway-handler.ts';

// Built once per container at init (top-level await in ESM), then reused by every invocation.
const runtime = await createRuntimeFromEnvironment(process.env);

export const handler = buildGatewayHandler(runtime);
