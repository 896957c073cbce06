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
  const client =
    options.endpoint === undefined
      ? new DynamoDBClient(options.region === undefined ? {} : { region: options.region })
      : new DynamoDBClient({ endpoint: options.endpoint, region: options.region ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // The SDK's logger middleware copies every input and output through the schema's
  // sensitive-data filter for its logger, even the default one that logs nothing: a whole log
  // batch, item by item, on every call. The gateway gives the client no logger.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
