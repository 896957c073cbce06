import { pathToFileURL } from 'node:url';
import type { GatewayRuntime } from '@turnpike/shared/engine/gateway-runtime';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import { installAwslambdaShim } from './awslambda-shim.ts';
import { startFunctionUrlEmulator } from './function-url-emulator.ts';

export interface LocalGatewayOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * Settings for this gateway alone (TURNPIKE_* variables), composed with `TURNPIKE_RUNTIME=local`.
   * Without it the gateway loads `lambdas/gateway/handler.ts` itself, configured by `process.env`.
   */
  environment?: Readonly<Record<string, string | undefined>>;
}

export interface LocalGateway {
  url: string;
  close(): Promise<void>;
}

/** Start the gateway's Lambda handler behind the local function URL emulator. */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  // Lambda defines `awslambda` before it loads a handler, and middy reaches for it while the
  // handler is being built, so the shim goes in before any handler module is imported.
  installAwslambdaShim();
  const { handler, runtime } = await loadGatewayHandler(options.environment);
  const emulator = await startFunctionUrlEmulator({ handler, host: options.host, port: options.port ?? 0 }).catch(
    async (error: unknown) => {
      await runtime.close();
      throw error;
    },
  );
  return {
    url: emulator.url,
    async close() {
      await emulator.close();
      // The runtime holds the local database: closing it flushes the data to disk.
      await runtime.close();
    },
  };
}

async function loadGatewayHandler(
  environment: Readonly<Record<string, string | undefined>> | undefined,
): Promise<{ handler: FunctionUrlStreamingHandler; runtime: GatewayRuntime }> {
  if (environment === undefined) {
    process.env.TURNPIKE_RUNTIME ??= 'local';
    // The module Lambda loads, unchanged: what runs locally is what is deployed.
    const { handler, runtime } = await import('../lambdas/gateway/handler.ts');
    return { handler, runtime };
  }
  const [{ buildGatewayHandler }, { createRuntimeFromEnvironment }] = await Promise.all([
    import('../lambdas/gateway/build-gateway-handler.ts'),
    import('@turnpike/shared/runtime/create-runtime-from-environment'),
  ]);
  const runtime = await createRuntimeFromEnvironment({ TURNPIKE_RUNTIME: 'local', ...environment });
  return { handler: buildGatewayHandler(runtime), runtime };
}

async function main(): Promise<void> {
  const host = process.env.TURNPIKE_HOST ?? '127.0.0.1';
  const port = Number(process.env.TURNPIKE_PORT ?? process.env.PORT ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`TURNPIKE_PORT must be a port number, got ${process.env.TURNPIKE_PORT ?? process.env.PORT}.`);
  }
  const gateway = await startLocalGateway({ host, port });
  // One parseable line: tests and scripts read the URL from it.
  console.log(`Turnpike gateway listening on ${gateway.url} (try: curl ${gateway.url}/health)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means now.
      process.exit(130);
    }
    stopping = true;
    console.log(`Received ${signal}, shutting down.`);
    // Exit explicitly: the runtime may hold handles of its own (a local database, timers).
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('turnpike: shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  main().catch((error: unknown) => {
    console.error('turnpike: the local gateway failed to start', error);
    process.exit(1);
  });
}
