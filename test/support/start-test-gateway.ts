import type { GatewayRuntime } from '../../shared/src/engine/gateway-runtime.ts';
import type { RequestRecord } from '../../shared/src/ports/request-log-sink.ts';
import type { RuntimeParts } from '../../shared/src/runtime/compose-runtime.ts';
import { createLocalRuntime } from '../../shared/src/runtime/local.ts';
import { buildGatewayHandler } from '../../lambdas/gateway/build-gateway-handler.ts';
import { installAwslambdaShim } from '../../local/awslambda-shim.ts';
import { startFunctionUrlEmulator } from '../../local/function-url-emulator.ts';

export interface TestGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/v1`, the baseURL for SDK clients. */
  baseURL: string;
  /** Every request record the engine wrote, in order. */
  records: RequestRecord[];
  /** The runtime behind the gateway (its stores, its request log). */
  runtime: GatewayRuntime;
  /** Resolves once `count` records have been written. */
  waitForRecords(count: number): Promise<RequestRecord[]>;
  close(): Promise<void>;
}

/**
 * The real gateway Lambda handler, behind the local function URL emulator, on a local runtime
 * configured by `env` (its database and vault in memory unless `env` says otherwise). Request
 * records are captured instead of printed.
 */
export async function startTestGateway(env: Record<string, string> = {}, overrides: Partial<RuntimeParts> = {}): Promise<TestGateway> {
  installAwslambdaShim();
  const records: RequestRecord[] = [];
  const runtime = await createLocalRuntime(
    {
      TURNPIKE_CONFIG_FILE: '',
      TURNPIKE_DATA_DIR: ':memory:',
      TURNPIKE_RETRY_BASE_DELAY_MS: '5',
      TURNPIKE_RETRY_MAX_DELAY_MS: '20',
      // Stored request logs double the in-process database's work; the tests about them turn them on.
      TURNPIKE_STORE_REQUEST_LOGS: 'false',
      ...env,
    },
    { requestLog: { write: (record) => records.push(record) }, ...overrides },
  );
  const emulator = await startFunctionUrlEmulator({ handler: buildGatewayHandler(runtime) }).catch(async (error: unknown) => {
    await runtime.close();
    throw error;
  });
  return {
    url: emulator.url,
    baseURL: `${emulator.url}/v1`,
    records,
    runtime,
    async waitForRecords(count) {
      for (let waited = 0; records.length < count && waited < 400; waited++) await new Promise((resolve) => setTimeout(resolve, 5));
      if (records.length < count) throw new Error(`expected ${count} request records, got ${records.length}`);
      return records;
    },
    async close() {
      await emulator.close();
      await runtime.close();
    },
  };
}
