import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BudgetAlert, BudgetAlertSink } from '../../ports/budget-alert-sink.ts';

export interface EventBridgeBudgetAlertOptions {
  /** @default a client for the function's region */
  client?: EventBridgeClient;
  /** Bus name or ARN. @default 'default' */
  eventBusName?: string | undefined;
  /** Told when an event could not be put, so the alert still leaves a trace. */
  onFailure?: (alert: BudgetAlert, error: unknown) => void;
}

/** The event's `source` and `detail-type`, what an operator's EventBridge rule matches on. */
export const BUDGET_ALERT_SOURCE = 'turnpike.gateway';
export const BUDGET_ALERT_DETAIL_TYPE = 'Turnpike Budget Threshold Crossed';

/**
 * Budget alerts as EventBridge events, which a rule can route to SNS email, a webhook (API
 * destination) or anything else. A failed put is reported, never thrown.
 */
export function createEventBridgeBudgetAlertSink(options: EventBridgeBudgetAlertOptions): BudgetAlertSink {
  const client = options.client ?? new EventBridgeClient({});
  return {
    async emit(alert) {
      try {
        const answer = await client.send(
          new PutEventsCommand({
            Entries: [
              {
                Source: BUDGET_ALERT_SOURCE,
                DetailType: BUDGET_ALERT_DETAIL_TYPE,
                Detail: JSON.stringify(alert),
                EventBusName: options.eventBusName ?? 'default',
                Time: new Date(alert.at),
              },
            ],
          }),
        );
        if ((answer.FailedEntryCount ?? 0) > 0) throw new Error(answer.Entries?.[0]?.ErrorMessage ?? 'PutEvents refused the event');
      } catch (error) {
        options.onFailure?.(alert, error);
      }
    },
  };
}
