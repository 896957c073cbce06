import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GatewayError } from '../../core/gateway-error.ts';
import type { DynamoItem } from './dynamodb-item.ts';

/** Whether a write was refused by its ConditionExpression (an expected outcome, not a failure). */
export function isConditionalCheckFailed(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

/**
 * The old item DynamoDB returns with a refused write when asked with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`. dynalite does not implement that option, so
 * callers fall back to a read when this is undefined.
 */
export function refusedItem(error: ConditionalCheckFailedException): DynamoItem | undefined {
  return error.Item;
}

/**
 * Anything else a table call throws (throttling after the SDK's retries, network, missing
 * table) becomes a 503 the engine can render. The message stays generic because callers see
 * it; the SDK error is kept as the cause for the logs.
 */
export function storeUnavailable(store: string, error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(`The gateway's ${store} store is unavailable; try again shortly.`, {
    status: 503,
    type: 'api_error',
    code: 'store_unavailable',
    retryable: true,
    cause: error,
  });
}
