import { describe, expect, it } from 'vitest';
import {
  LOCAL_ADMIN_ACTOR,
  createIamAdminAuthenticator,
  createTokenAdminAuthenticator,
  hashAdminToken,
} from '../../../shared/src/admin/admin-authenticators.ts';
import { GatewayError } from '../../../shared/src/core/gateway-error.ts';

const request = (headers: Record<string, string> = {}) => new Request('http://admin.test/v1/workspaces', { headers });

function refusal(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('admin authenticators', () => {
  it('local: accepts the token as a Bearer credential and names the local actor', () => {
    const authenticator = createTokenAdminAuthenticator(hashAdminToken('correct-horse-battery'));
    expect(authenticator.authenticate(request({ authorization: 'Bearer correct-horse-battery' }), {})).toBe(LOCAL_ADMIN_ACTOR);
    expect(authenticator.authenticate(request({ authorization: 'bearer correct-horse-battery' }), {})).toBe('local-admin');
  });

  it('local: 401 without a token, with a wrong one, or with a prefix of the right one', () => {
    const authenticator = createTokenAdminAuthenticator(hashAdminToken('correct-horse-battery'));
    expect(refusal(() => authenticator.authenticate(request(), {}))).toMatchObject({ status: 401, code: 'missing_admin_token' });
    expect(refusal(() => authenticator.authenticate(request({ authorization: 'Bearer wrong' }), {}))).toMatchObject({ status: 401, code: 'invalid_admin_token' });
    expect(refusal(() => authenticator.authenticate(request({ authorization: 'Bearer correct-horse' }), {})).status).toBe(401);
    expect(refusal(() => authenticator.authenticate(request({ authorization: 'Basic abc' }), {})).status).toBe(401);
  });

  it('local: an IAM identity in the transport does not replace the token', () => {
    const authenticator = createTokenAdminAuthenticator(hashAdminToken('correct-horse-battery'));
    expect(refusal(() => authenticator.authenticate(request(), { iamArn: 'arn:aws:iam::123456789012:user/x' })).status).toBe(401);
  });

  it('AWS: the signer ARN from the function URL is the actor; headers are not consulted', () => {
    const authenticator = createIamAdminAuthenticator();
    const arn = 'arn:aws:sts::123456789012:assumed-role/operator/alice';
    expect(authenticator.authenticate(request({ authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250601/us-east-1/lambda/aws4_request' }), { iamArn: arn })).toBe(arn);
    expect(refusal(() => authenticator.authenticate(request({ authorization: 'Bearer x' }), {}))).toMatchObject({ status: 401, code: 'missing_iam_identity' });
  });

  it('refuses a stored hash that is not SHA-256 hex', () => {
    expect(() => createTokenAdminAuthenticator('abc')).toThrow(RangeError);
  });
});
