import { pathToFileURL } from 'node:url';
import type { GatewayRuntime } from '@turnpike/shared/engine/gateway-runtime';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import { adminTokenNotice } from '@turnpike/shared/runtime/admin-runtime';
import { installAwslambdaShim } from './awslambda-shim.ts';
import { startFunctionUrlEmulator } from './function-url-emulator.ts';
import { type LocalAdmin, startLocalAdmin } from './start-local-admin.ts';

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
  /**
   * Where the admin API listens, on the same database; `false` starts none.
   * @default { host: '127.0.0.1', port: 0 }
   */
  admin?: { host?: string; port?: number } | false;
}

export interface LocalGateway {
  url: string;
  /** The admin API's URL, when it was started. */
  adminUrl: string | undefined;
  /** The admin token generated on this start (shown once), if one was. */
  generatedAdminToken: string | undefined;
  close(): Promise<void>;
}

/** Start the gateway's Lambda handler behind the local function URL emulator. */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  // Lambda defines `awslambda` before it loads a handler, and middy reaches for it while the
  // handler is being built, so the shim goes in before any handler module is imported.
  installAwslambdaShim();
  const { handler, runtime } = await loadGatewayHandler(options.environment);
  let admin: LocalAdmin | undefined;
  try {
    const emulator = await startFunctionUrlEmulator({ handler, host: options.host, port: options.port ?? 0 });
    try {
      if (options.admin !== false) {
        // The admin API borrows the gateway's stores: one database, and the gateway closes it.
        admin = await startLocalAdmin({
          stores: {
            control: runtime.stores.control,
            keyVault: runtime.keyVault,
            counters: runtime.stores.counters,
            logs: runtime.stores.logs,
            ...(runtime.stores.rollups === undefined ? {} : { rollups: runtime.stores.rollups }),
          },
          environment: options.environment === undefined ? process.env : { TURNPIKE_RUNTIME: 'local', ...options.environment },
          host: options.admin?.host ?? '127.0.0.1',
          port: options.admin?.port ?? 0,
        });
      }
    } catch (error) {
      await emulator.close();
      throw error;
    }
    return {
      url: emulator.url,
      adminUrl: admin?.url,
      generatedAdminToken: admin?.generatedToken,
      async close() {
        await admin?.close();
        await emulator.close();
        // The runtime holds the local database: closing it flushes the data to disk.
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
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
  // The database gets a process (and so a core) of its own: its work, the request log's writes
  // above all, then no longer competes with answering requests. Tests keep it in-process.
  process.env.TURNPIKE_DYNALITE_PROCESS ??= 'child';
  const host = process.env.TURNPIKE_HOST ?? '127.0.0.1';
  const port = readPort('TURNPIKE_PORT', process.env.TURNPIKE_PORT ?? process.env.PORT, 8787);
  const adminHost = process.env.TURNPIKE_ADMIN_HOST ?? '127.0.0.1';
  const adminPort = readPort('TURNPIKE_ADMIN_PORT', process.env.TURNPIKE_ADMIN_PORT, 8788);
  const gateway = await startLocalGateway({ host, port, admin: { host: adminHost, port: adminPort } });
  // One parseable line each: tests and scripts read the URLs from them.
  console.log(`Turnpike gateway listening on ${gateway.url} (try: curl ${gateway.url}/health)`);
  console.log(`Turnpike admin API listening on ${gateway.adminUrl} (Authorization: Bearer <admin token>)`);
  if (gateway.generatedAdminToken !== undefined) console.log(adminTokenNotice(gateway.generatedAdminToken));

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

function readPort(name: string, raw: string | undefined, fallback: number): number {
  const port = Number(raw ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number, got ${raw}.`);
  return port;
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  main().catch((error: unknown) => {
    console.error('turnpike: the local gateway failed to start', error);
    process.exit(1);
  });
}
