import { describe, expect, it } from 'vitest';
import { createDeferredRequestLogSink } from '../../../shared/src/logging/deferred-request-log-sink.ts';
import type { RequestLogSink } from '../../../shared/src/ports/request-log-sink.ts';
import { requestRecord } from '../../support/request-record.ts';

const record = (traceId: string) => requestRecord({ traceId });

function recordingSink() {
  const written: string[] = [];
  let flushes = 0;
  const sink: RequestLogSink = {
    write: (entry) => written.push(entry.traceId),
    flush: () => {
      flushes++;
      return Promise.resolve();
    },
  };
  return { sink, written, flushes: () => flushes };
}

describe('deferred request log sink', () => {
  it('does not make the real sink until the first record, then hands over queued records in order', async () => {
    const inner = recordingSink();
    let loads = 0;
    const deferred = createDeferredRequestLogSink(async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return inner.sink;
    });
    expect(loads).toBe(0);
    deferred.write(record('a'));
    deferred.write(record('b'));
    expect(inner.written).toEqual([]);
    await deferred.flush?.();
    expect(loads).toBe(1);
    expect(inner.written).toEqual(['a', 'b']);
    expect(inner.flushes()).toBe(1);
    deferred.write(record('c'));
    expect(inner.written).toEqual(['a', 'b', 'c']);
  });

  it('flushes nothing and loads nothing when no record was written', async () => {
    let loads = 0;
    const deferred = createDeferredRequestLogSink(() => {
      loads++;
      return Promise.resolve(recordingSink().sink);
    });
    await deferred.flush?.();
    expect(loads).toBe(0);
  });

  it('reports a sink that cannot be loaded, drops what waited, and tries again on the next record', async () => {
    const inner = recordingSink();
    const failures: unknown[] = [];
    let attempt = 0;
    const deferred = createDeferredRequestLogSink(
      () => (++attempt === 1 ? Promise.reject(new Error('import failed')) : Promise.resolve(inner.sink)),
      (error) => failures.push(error),
    );
    deferred.write(record('lost'));
    await deferred.flush?.();
    expect(failures).toHaveLength(1);
    deferred.write(record('kept'));
    await deferred.flush?.();
    expect(inner.written).toEqual(['kept']);
  });
});
