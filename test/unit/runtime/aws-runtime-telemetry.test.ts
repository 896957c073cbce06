import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayStores } from '../../../shared/src/engine/gateway-runtime.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import { createAwsRuntime } from '../../../shared/src/runtime/aws.ts';
import { LazyPowertoolsTelemetry } from '../../../shared/src/runtime/powertools-telemetry.ts';
import { captureStdoutJsonLines, requestRecord } from '../../support/request-record.ts';

let lines: Record<string, unknown>[];
beforeEach(() => {
  lines = captureStdoutJsonLines();
  // Powertools reads these from the process environment, as on Lambda.
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'turnpike-gateway');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Turnpike');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

// Nothing in this test reaches a store or the vault: stored logs are off.
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used')) });
const env = { TURNPIKE_STORE_REQUEST_LOGS: 'false', TURNPIKE_CONTROL_TABLE: 'c', TURNPIKE_COUNTERS_TABLE: 'n', TURNPIKE_CACHE_TABLE: 'k', TURNPIKE_LOGS_TABLE: 'l', TURNPIKE_SECRET_PREFIX: 'p/' };

describe('AWS runtime telemetry', () => {
  it('loads Powertools with the first request log, writes its line and metrics with the invocation context, and costs nothing before', async () => {
    const telemetry = new LazyPowertoolsTelemetry();
    const get = vi.spyOn(telemetry, 'get');
    const runtime = createAwsRuntime(env, { stores: unused as GatewayStores, keyVault: unused as KeyVault }, telemetry);
    expect(get).not.toHaveBeenCalled();
    telemetry.setInvocationContext({ awsRequestId: 'req-9', functionName: 'gw', functionVersion: '1', invokedFunctionArn: 'arn', memoryLimitInMB: '512' } as never);
    runtime.requestLog.write(requestRecord({ usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 }, cost: 0.5 }));
    await runtime.requestLog.flush?.();
    expect(get).toHaveBeenCalled();
    const request = lines.find((line) => line.message === 'request');
    expect(request).toMatchObject({ traceId: 'trace-1', function_request_id: 'req-9', service: 'turnpike-gateway' });
    expect(lines.find((line) => line.Requests === 1)).toMatchObject({ Cost: 0.5, InputTokens: 3 });
  });
});
