import type { BudgetAlert, BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Budget alerts on AWS: EventBridge events on `TURNPIKE_EVENT_BUS_NAME` (default bus when
 * unset). The EventBridge client is imported on the first alert, so a cold start never loads it.
 */
export function createAwsBudgetAlertSink(env: Environment, onFailure: (alert: BudgetAlert, error: unknown) => void): BudgetAlertSink {
  let sink: Promise<BudgetAlertSink> | undefined;
  const load = async (): Promise<BudgetAlertSink> => {
    const { createEventBridgeBudgetAlertSink } = await import('../adapters/aws/eventbridge-budget-alert-sink.ts');
    return createEventBridgeBudgetAlertSink({ eventBusName: env.TURNPIKE_EVENT_BUS_NAME || undefined, onFailure });
  };
  return {
    async emit(alert) {
      try {
        sink ??= load();
        await (await sink).emit(alert);
      } catch (error) {
        sink = undefined;
        onFailure(alert, error);
      }
    },
  };
}
