import { BadRequestError } from '../../core/gateway-error.ts';
import type { ResolvedTarget } from '../provider-model.ts';

/** Everything that decides which BedrockRuntimeClient a call needs. */
export interface BedrockClientSettings {
  region: string;
  /** The target's custom_host, replacing `https://bedrock-runtime.<region>.amazonaws.com`. */
  endpoint: string | undefined;
  /** Static keys from the target; undefined means the SDK's default chain (the Lambda role). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** A Bedrock API key, sent as `Authorization: Bearer` instead of a SigV4 signature. */
  bearerToken: string | undefined;
}

// Region codes such as us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5. Checked because
// the SDK builds the endpoint host from the region, and the region can come from a header.
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

// Bedrock API keys are recognisable: long-term keys start with ABSK, short-term ones with
// `bedrock-api-key-`. https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html
// Any other bearer token (the `sk-...` a caller's OpenAI SDK insists on sending) is not a
// Bedrock credential and must not replace the Lambda role.
const BEDROCK_API_KEY = /^(?:ABSK|bedrock-api-key-)/;

/** AWS settings a virtual key's secret may hold, as a JSON object of these Config field names. */
interface StoredAwsCredentials {
  aws_access_key_id?: string;
  aws_secret_access_key?: string;
  aws_session_token?: string;
  aws_region?: string;
}

/**
 * A virtual key for Bedrock stores one secret: either a Bedrock API key, or the AWS keys as
 * JSON (`{"aws_access_key_id":…,"aws_secret_access_key":…,"aws_session_token"?,"aws_region"?}`).
 */
function storedAwsCredentials(apiKey: string | undefined): StoredAwsCredentials {
  if (apiKey === undefined || !apiKey.trimStart().startsWith('{')) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(apiKey);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const stored: StoredAwsCredentials = {};
  for (const field of ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_region'] as const) {
    const value: unknown = (parsed as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') stored[field] = value;
  }
  return stored;
}

/**
 * Read region and credentials for one target. Precedence: static AWS keys from the target's
 * options (config or headers), then AWS keys stored as JSON in its key (a virtual key's
 * secret), then a Bedrock API key, then the SDK's default chain (the Lambda role).
 */
export function resolveBedrockClientSettings(target: ResolvedTarget, defaultRegion: string | undefined): BedrockClientSettings {
  const stored = storedAwsCredentials(target.apiKey);
  const fromOptions = target.options.aws_access_key_id !== undefined || target.options.aws_secret_access_key !== undefined;
  const keys: StoredAwsCredentials = fromOptions ? target.options : stored;
  const region = target.options.aws_region ?? stored.aws_region ?? (defaultRegion === '' ? undefined : defaultRegion);
  if (region === undefined) {
    throw new BadRequestError(
      'Bedrock needs an AWS region: set aws_region in the config or send x-portkey-aws-region.',
      'missing_aws_region',
      'aws_region',
    );
  }
  if (!REGION.test(region)) {
    throw new BadRequestError(`"${region}" is not an AWS region code (such as us-east-1).`, 'invalid_aws_region', 'aws_region');
  }
  const accessKeyId = keys.aws_access_key_id;
  const secretAccessKey = keys.aws_secret_access_key;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new BadRequestError(
      'Bedrock credentials need both aws_access_key_id and aws_secret_access_key.',
      'incomplete_aws_credentials',
      accessKeyId === undefined ? 'aws_access_key_id' : 'aws_secret_access_key',
    );
  }
  let credentials: BedrockClientSettings['credentials'];
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = keys.aws_session_token;
    credentials = sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
  }
  const apiKey = target.apiKey;
  const bearerToken = credentials === undefined && apiKey !== undefined && BEDROCK_API_KEY.test(apiKey) ? apiKey : undefined;
  const endpoint = target.customHost === undefined ? undefined : target.customHost.replace(/\/+$/, '');
  return { region, endpoint, credentials, bearerToken };
}
