import { describe, expect, it } from 'vitest';
import type { GatewayStores } from '../../../shared/src/engine/gateway-runtime.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import type { LogEntry, LogStore } from '../../../shared/src/ports/log-store.ts';
import { createAwsRuntime } from '../../../shared/src/runtime/aws.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { requestRecord } from '../../support/request-record.ts';

const record = (traceId: string) => requestRecord({ traceId, endpoint: 'chat.completions' });

describe('the AWS runtime\'s request log', () => {
  it('writes each record with its own PutItem, never a batch: the role may not BatchWriteItem on Logs', async () => {
    const calls: string[] = [];
    const logs = {
      maxBatchEntries: 25,
      put: async (entry: LogEntry) => void calls.push(`put ${entry.traceId}`),
      putBatch: async (entries: readonly LogEntry[]) => {
        calls.push(`batch ${entries.map((entry) => entry.traceId).join(',')}`);
        return [];
      },
    } as unknown as LogStore;
    const runtime = createAwsRuntime(
      { TURNPIKE_LOG_REQUESTS: 'false', TURNPIKE_LOG_BODIES: 'off' },
      // The telemetry sink (a log line and EMF metrics on stdout) is replaced; the stored log is the runtime's own.
      { stores: { logs } as GatewayStores, keyVault: {} as KeyVault, clock: new FakeClock(), requestLog: { write: () => undefined } },
    );
    runtime.requestLog.write(record('one'));
    runtime.requestLog.write(record('two'));
    await runtime.requestLog.flush?.();
    expect(calls.sort()).toEqual(['put one', 'put two']);
  });
});
