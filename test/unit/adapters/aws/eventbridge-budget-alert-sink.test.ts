import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { BUDGET_ALERT_DETAIL_TYPE, BUDGET_ALERT_SOURCE, createEventBridgeBudgetAlertSink } from '../../../../shared/src/adapters/aws/eventbridge-budget-alert-sink.ts';

const alert = { budgetId: 'team', unit: 'usd' as const, limit: 10, softThreshold: 0.8, spent: 8.5, periodStart: 0, at: 1_700_000_000_000 };

describe('EventBridge budget alerts', () => {
  it('puts one event an operator rule can match on', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await createEventBridgeBudgetAlertSink({ client, eventBusName: 'ops' }).emit(alert);
    const entry = mock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ Source: BUDGET_ALERT_SOURCE, DetailType: BUDGET_ALERT_DETAIL_TYPE, EventBusName: 'ops' });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual(alert);
  });

  it('reports a refused event instead of throwing', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    mockClient(client).on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'X', ErrorMessage: 'nope' }] });
    const failures: unknown[] = [];
    await createEventBridgeBudgetAlertSink({ client, onFailure: (_, error) => failures.push(error) }).emit(alert);
    expect(String(failures[0])).toContain('nope');
  });
});
