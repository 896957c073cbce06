import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.ts';

/** What every store on a DynamoDB table is built with. */
export interface DynamoDbTableOptions {
  client: DynamoDBClient;
  tableName: string;
  /** For expiry times and TTL checks. @default the system clock */
  clock?: Pick<Clock, 'now'>;
}
