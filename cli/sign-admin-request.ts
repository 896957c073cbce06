import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/** Static credentials or a provider of them, as the SDK's signer takes them. */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface AdminSignerOptions {
  region: string;
  /** @default the SDK's Node credential chain: env, SSO, ini profile, process, web identity, ECS, EC2 */
  credentials?: SigningCredentials;
  /** Function URLs are invoked through the Lambda service. @default 'lambda' */
  service?: string;
  /**
   * Send the body's SHA-256 in `x-amz-content-sha256`. Optional for Lambda, but CloudFront
   * origin access control in front of a function URL requires it. @default true
   */
  applyChecksum?: boolean;
}

/**
 * The SDK's own SigV4 signer, configured the way the SDK configures it for Lambda. No part of
 * the signature is computed here: getting SigV4 subtly wrong is easy and silent.
 */
export function createAdminSigner(options: AdminSignerOptions): SignatureV4 {
  return new SignatureV4({
    service: options.service ?? 'lambda',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
}

export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The headers to send for `request`, with `authorization`, `x-amz-date` and (for temporary
 * credentials) `x-amz-security-token` added. The signature covers the host, path, query and
 * body exactly as `fetch` will send them.
 */
export async function signAdminRequest(
  signer: SignatureV4,
  request: RequestToSign,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const { url } = request;
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      // The path as it goes on the wire (already percent-encoded): the signer escapes it once
      // more, and that double encoding is what every service but S3 expects.
      path: url.pathname,
      query,
      headers: { ...request.headers, host: url.host },
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    signingDate === undefined ? {} : { signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    // fetch derives Host from the URL itself; the signed value is the same string.
    if (name.toLowerCase() !== 'host') headers[name] = value;
  }
  return headers;
}
