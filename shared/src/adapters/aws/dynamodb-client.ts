import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbClientOptions {
  /** A local endpoint (dynalite); absent on AWS, where the SDK finds the regional one. */
  endpoint?: string;
  region?: string;
}

/**
 * The one DynamoDB client a runtime shares between its stores. Locally it talks to dynalite,
 * which checks no signature, so fixed dummy credentials keep the SDK from searching for real
 * ones (and from failing when there are none).
 */
export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  if (options.endpoint === undefined) return new DynamoDBClient(options.region === undefined ? {} : { region: options.region });
  return new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
