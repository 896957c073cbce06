import type { AdminClientOptions } from './admin-client.ts';
import { UsageError } from './cli-error.ts';
import { flagOption, stringOption, type OptionValues } from './option-values.ts';
import { functionUrlRegion } from './function-url-region.ts';
import type { SigningCredentials } from './sign-admin-request.ts';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8788';

/**
 * Where to send requests and how to authenticate them, from the options and environment:
 * a Lambda function URL (or `--sigv4`) is signed with AWS credentials, anything else gets the
 * local admin token as a Bearer token.
 */
export function resolveConnection(
  values: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
  credentials?: SigningCredentials,
): AdminClientOptions {
  const baseUrl = parseAdminUrl(stringOption(values, 'url') ?? nonEmpty(env.TURNPIKE_ADMIN_URL) ?? DEFAULT_ADMIN_URL);
  const urlRegion = functionUrlRegion(baseUrl);
  if (urlRegion !== undefined || flagOption(values, 'sigv4')) {
    if (stringOption(values, 'token') !== undefined) {
      throw new UsageError('--token is for the local server; an AWS_IAM function URL is called with AWS credentials (SigV4)');
    }
    // The URL's own region comes first: a profile's default region elsewhere would only
    // produce a signature the function URL rejects.
    const region =
      stringOption(values, 'region') ?? urlRegion ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
    if (region === undefined) throw new UsageError(`cannot tell the AWS region of ${baseUrl.host}: pass --region or set AWS_REGION`);
    return { baseUrl, auth: { kind: 'sigv4', region, ...(credentials === undefined ? {} : { credentials }) } };
  }
  const token = stringOption(values, 'token') ?? nonEmpty(env.TURNPIKE_ADMIN_TOKEN);
  if (token !== undefined && baseUrl.protocol === 'http:' && !isLoopback(baseUrl.hostname)) {
    throw new UsageError(`refusing to send the admin token in clear text to ${baseUrl.host}; use an https URL`);
  }
  return { baseUrl, auth: { kind: 'token', token } };
}

function parseAdminUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`the admin URL "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the admin URL must start with http:// or https://, got "${text}"`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('the admin URL must not carry credentials; use TURNPIKE_ADMIN_TOKEN');
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
