import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/cli-error.ts';
import { resolveConnection } from '../../cli/resolve-connection.ts';
import { functionUrlRegion } from '../../cli/function-url-region.ts';
import { createAdminSigner, signAdminRequest } from '../../cli/sign-admin-request.ts';
import { expectedSignature, parseAuthorization, type WireRequest } from './support/sigv4-reference.ts';

// The credentials and clock of AWS's published SigV4 test suite
// (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
const SUITE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_DATE = new Date('2015-08-30T12:36:00Z');
const SUITE_PREFIX = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=';

describe('signAdminRequest', () => {
  // The suite's requests carry no x-amz-content-sha256, so the checksum header is left off here.
  const suiteSigner = createAdminSigner({
    region: 'us-east-1',
    service: 'service',
    credentials: SUITE_CREDENTIALS,
    applyChecksum: false,
  });

  it('matches the AWS test suite vector "get-vanilla"', async () => {
    const headers = await signAdminRequest(
      suiteSigner,
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} },
      SUITE_DATE,
    );
    expect(headers.authorization).toBe(`${SUITE_PREFIX}5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('matches the AWS test suite vector "get-vanilla-query-order-key-case"', async () => {
    const headers = await signAdminRequest(
      suiteSigner,
      { method: 'GET', url: new URL('https://example.amazonaws.com/?Param2=value2&Param1=value1'), headers: {} },
      SUITE_DATE,
    );
    expect(headers.authorization).toBe(`${SUITE_PREFIX}b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`);
  });

  it('signs a Lambda function URL call so an independent verifier accepts it', async () => {
    const credentials = { ...SUITE_CREDENTIALS, sessionToken: 'session-token-example' };
    const signer = createAdminSigner({ region: 'eu-west-1', credentials });
    const url = new URL('https://abc123.lambda-url.eu-west-1.on.aws/v1/keys/key%20one/rotate?workspace_id=team%20a&limit=5');
    const body = JSON.stringify({ name: 'ci' });
    const headers = await signAdminRequest(
      signer,
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      new Date('2026-02-03T04:05:06Z'),
    );

    expect(headers).not.toHaveProperty('host');
    expect(headers['x-amz-security-token']).toBe('session-token-example');
    expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    const authorization = parseAuthorization(headers.authorization ?? '');
    expect(authorization).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      date: '20260203',
      region: 'eu-west-1',
      service: 'lambda',
      signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token'],
    });

    const onTheWire: WireRequest = {
      method: 'POST',
      target: `${url.pathname}${url.search}`,
      headers: { ...lowerCase(headers), host: url.host },
      body,
    };
    expect(authorization?.signature).toBe(expectedSignature(onTheWire, authorization!, SUITE_CREDENTIALS.secretAccessKey));
  });
});

describe('the reference verifier used by these tests', () => {
  it('itself reproduces "get-vanilla", so it can be trusted to judge the CLI', () => {
    const request: WireRequest = {
      method: 'GET',
      target: '/',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      body: '',
    };
    const authorization = parseAuthorization(`${SUITE_PREFIX}${'0'.repeat(64)}`)!;
    expect(expectedSignature(request, authorization, SUITE_CREDENTIALS.secretAccessKey)).toBe(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});

describe('functionUrlRegion', () => {
  it('reads the region from a Lambda function URL host only', () => {
    expect(functionUrlRegion(new URL('https://abcdef123.lambda-url.ap-southeast-2.on.aws/'))).toBe('ap-southeast-2');
    expect(functionUrlRegion(new URL('https://ABCDEF123.LAMBDA-URL.us-east-1.ON.AWS'))).toBe('us-east-1');
    expect(functionUrlRegion(new URL('https://admin.example.com/'))).toBeUndefined();
    expect(functionUrlRegion(new URL('https://x.lambda-url.us-east-1.on.aws.evil.example/'))).toBeUndefined();
  });
});

describe('resolveConnection', () => {
  const credentials = SUITE_CREDENTIALS;

  it('uses the admin token against the local server', () => {
    const connection = resolveConnection({}, { TURNPIKE_ADMIN_TOKEN: 'from-env' });
    expect(connection.baseUrl.href).toBe('http://127.0.0.1:8788/');
    expect(connection.auth).toEqual({ kind: 'token', token: 'from-env' });
    expect(resolveConnection({ token: 'from-flag' }, { TURNPIKE_ADMIN_TOKEN: 'from-env' }).auth).toEqual({
      kind: 'token',
      token: 'from-flag',
    });
  });

  it('signs for a function URL, taking the region from the URL before AWS_REGION', async () => {
    const connection = resolveConnection(
      { url: 'https://abc.lambda-url.eu-central-1.on.aws' },
      { AWS_REGION: 'us-east-1', TURNPIKE_ADMIN_TOKEN: 'ignored' },
      credentials,
    );
    expect(connection.auth.kind).toBe('sigv4');
    if (connection.auth.kind !== 'sigv4') return;
    const headers = await signAdminRequest(createAdminSigner(connection.auth), {
      method: 'GET',
      url: new URL('https://abc.lambda-url.eu-central-1.on.aws/v1/keys'),
      headers: {},
    });
    expect(headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/lambda\/aws4_request/);
  });

  it('lets --region override, and needs a region when --sigv4 is forced on another host', async () => {
    const forced = resolveConnection({ url: 'https://admin.example.com', sigv4: true, region: 'us-west-2' }, {}, credentials);
    if (forced.auth.kind !== 'sigv4') throw new Error('expected SigV4');
    const headers = await signAdminRequest(createAdminSigner(forced.auth), { method: 'GET', url: forced.baseUrl, headers: {} });
    expect(headers.authorization).toContain('/us-west-2/lambda/aws4_request');
    expect(() => resolveConnection({ url: 'https://admin.example.com', sigv4: true }, {}, credentials)).toThrow(
      'cannot tell the AWS region of admin.example.com',
    );
  });

  it.each([
    [{ url: 'not a url' }, {}, 'is not a URL'],
    [{ url: 'ftp://127.0.0.1' }, {}, 'must start with http:// or https://'],
    [{ url: 'http://user:pass@127.0.0.1' }, {}, 'must not carry credentials'],
    [{ url: 'http://admin.example.com' }, { TURNPIKE_ADMIN_TOKEN: 't0ken' }, 'refusing to send the admin token in clear text'],
    [{ url: 'https://abc.lambda-url.us-east-1.on.aws', token: 't0ken' }, {}, '--token is for the local server'],
  ])('refuses %j', (values, env, message) => {
    expect(() => resolveConnection(values, env, credentials)).toThrow(UsageError);
    expect(() => resolveConnection(values, env, credentials)).toThrow(message);
  });
});

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
