import type { AdminStores } from '@turnpike/shared/runtime/admin-runtime';
import { createLocalAdminRuntime } from '@turnpike/shared/runtime/local-admin-runtime';
import type { Environment } from '@turnpike/shared/runtime/read-runtime-options';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import { type AdminEventHandler, buildAdminHandler } from '../lambdas/admin/build-admin-handler.ts';
import { installAwslambdaShim } from './awslambda-shim.ts';
import { startFunctionUrlEmulator } from './function-url-emulator.ts';

export interface LocalAdminOptions {
  /** The local gateway's stores, so both servers share one database. */
  stores: AdminStores;
  /** TURNPIKE_* settings (TURNPIKE_DATA_DIR, TURNPIKE_ADMIN_TOKEN). */
  environment: Environment;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

export interface LocalAdmin {
  url: string;
  /** The admin token generated on this start (no TURNPIKE_ADMIN_TOKEN, no stored hash): show it once. */
  generatedToken: string | undefined;
  close(): Promise<void>;
}

/**
 * Serve the admin Lambda's handler (buffered invoke mode) behind a second function URL
 * emulator. The emulator speaks the streaming protocol, so the buffered result is written
 * through `HttpResponseStream` in one piece, which is what a buffered function URL sends.
 */
export async function startLocalAdmin(options: LocalAdminOptions): Promise<LocalAdmin> {
  installAwslambdaShim();
  const runtime = await createLocalAdminRuntime(options.environment, options.stores);
  const emulator = await startFunctionUrlEmulator({
    handler: streamBufferedResult(buildAdminHandler(runtime)),
    host: options.host,
    port: options.port ?? 0,
    functionName: 'turnpike-admin-local',
  });
  return {
    url: emulator.url,
    generatedToken: runtime.generatedToken,
    async close() {
      await emulator.close();
      await runtime.close();
    },
  };
}

function streamBufferedResult(handler: AdminEventHandler): FunctionUrlStreamingHandler {
  return async (event, responseStream) => {
    const result = await handler(event);
    const shim = globalThis.awslambda;
    if (shim === undefined) throw new Error('The awslambda shim is not installed.');
    const stream = shim.HttpResponseStream.from(responseStream, {
      statusCode: result.statusCode,
      headers: result.headers,
      ...(result.cookies === undefined ? {} : { cookies: result.cookies }),
    });
    stream.end(Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
  };
}
