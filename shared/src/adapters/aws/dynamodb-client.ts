import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbClientOptions {
  /** A local endpoint (dynalite); absent on AWS, where the SDK finds the regional one. */
  endpoint?: string;
  region?: string;
}

/**
 * A signer for dynalite, which checks that a request carries the parts of a SigV4
 * Authorization header and a date, but never the signature itself. Hashing the request and
 * deriving a key cost about a sixth of each local call; every call to AWS is signed for real.
 */
const LOCAL_SIGNER = {
  sign<Request extends { headers: Record<string, string> }>(request: Request): Promise<Request> {
    const amzDate = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
    request.headers['x-amz-date'] = amzDate;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=local`;
    return Promise.resolve(request);
  },
};

/**
 * Without `cacheMiddleware` the SDK rebuilds and sorts each command's middleware stack on every
 * `send`: about a tenth of a millisecond per counter write, which a request with budgets and
 * rate limits pays several times. The stack is final once the client is built (below), so
 * resolving it once per command class changes nothing else.
 */
const HOT_PATH_SETTINGS = { cacheMiddleware: true } as const;

/**
 * The one DynamoDB client a runtime shares between its stores. Locally it talks to dynalite,
 * which checks no signature, so fixed dummy credentials keep the SDK from searching for real
 * ones (and from failing when there are none).
 */
export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBClient {
  const client = options.endpoint === undefined ? new DynamoDBClient({ ...HOT_PATH_SETTINGS, ...(options.region === undefined ? {} : { region: options.region }) }) : localClient(options.endpoint, options.region);
  // The SDK's logger middleware copies every input and output through the schema's
  // sensitive-data filter for its logger, even the default one that logs nothing: a whole log
  // batch, item by item, on every call. The gateway gives the client no logger.
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

function localClient(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  const url = new URL(endpoint);
  return new DynamoDBClient({
    endpoint,
    region,
    ...HOT_PATH_SETTINGS,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: LOCAL_SIGNER,
    // One fixed URL: the regional endpoint rules would only arrive at it again, on every call.
    endpointProvider: () => ({ url }),
  });
}
