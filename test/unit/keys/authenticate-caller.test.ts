import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../shared/src/core/gateway-error.ts';
import type { ApiKeyRecord, PrincipalRecord } from '../../../shared/src/keys/access-records.ts';
import { arnMatchesPattern } from '../../../shared/src/keys/principal-arn-pattern.ts';
import { ANONYMOUS_CALLER, type AuthenticationPolicy, authenticateCaller } from '../../../shared/src/keys/authenticate-caller.ts';

const NOW = 1_700_000_000_000;
const SECRET = 'tpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const key: ApiKeyRecord = {
  id: 'key_1',
  workspaceId: 'ws-a',
  name: 'ci',
  displayPrefix: 'tpk_AAAA',
  scopes: { models: ['gpt-4o*'] },
  status: 'active',
  metadata: { team: 'search' },
  defaultConfig: 'prod',
  budgetId: 'b1',
  createdAt: NOW - 1000,
};

const principal: PrincipalRecord = {
  id: 'batch-jobs',
  workspaceId: 'ws-b',
  name: 'Batch',
  arnPattern: 'arn:aws:iam::123456789012:role/batch-*',
  scopes: { providers: ['bedrock'] },
  metadata: {},
};

function reads(found: ApiKeyRecord | undefined = key) {
  return {
    findApiKey: async (secret: string) => (secret === SECRET ? found : undefined),
    findPrincipal: async (arn: string) => (arnMatchesPattern(arn, principal.arnPattern) ? principal : undefined),
  };
}

const required: AuthenticationPolicy = { requireGatewayKey: true, functionUrlAuth: 'NONE' };
const optional: AuthenticationPolicy = { requireGatewayKey: false, functionUrlAuth: 'NONE' };
const iam: AuthenticationPolicy = { requireGatewayKey: true, functionUrlAuth: 'AWS_IAM' };

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('authenticateCaller with gateway keys', () => {
  it('turns a valid key into an api-key identity carrying its scopes, metadata and references', async () => {
    const identity = await authenticateCaller(reads(), { gatewayApiKey: SECRET, iamPrincipalArn: undefined }, required, NOW);
    expect(identity).toEqual({
      kind: 'api-key',
      id: 'key_1',
      workspaceId: 'ws-a',
      scopes: { models: ['gpt-4o*'] },
      metadata: { team: 'search' },
      defaultConfig: 'prod',
      rateLimitId: undefined,
      budgetId: 'b1',
    });
  });

  it('refuses an unknown key with 401 invalid_api_key, without echoing it', async () => {
    const error = await failure(authenticateCaller(reads(), { gatewayApiKey: 'tpk_unknown', iamPrincipalArn: undefined }, required, NOW));
    expect([error.status, error.code]).toEqual([401, 'invalid_api_key']);
    expect(error.message).not.toContain('tpk_unknown');
  });

  it('refuses a revoked key with 401 invalid_api_key', async () => {
    const error = await failure(authenticateCaller(reads({ ...key, status: 'revoked' }), { gatewayApiKey: SECRET, iamPrincipalArn: undefined }, required, NOW));
    expect([error.status, error.code]).toEqual([401, 'invalid_api_key']);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a key at or past its expiry with 401 expired_api_key', async () => {
    const expired = reads({ ...key, expiresAt: NOW });
    const error = await failure(authenticateCaller(expired, { gatewayApiKey: SECRET, iamPrincipalArn: undefined }, required, NOW));
    expect([error.status, error.code]).toEqual([401, 'expired_api_key']);
    const valid = reads({ ...key, expiresAt: NOW + 1 });
    expect((await authenticateCaller(valid, { gatewayApiKey: SECRET, iamPrincipalArn: undefined }, required, NOW)).id).toBe('key_1');
  });

  it('answers 401 missing_api_key when a key is required and none came', async () => {
    const error = await failure(authenticateCaller(reads(), { gatewayApiKey: undefined, iamPrincipalArn: undefined }, required, NOW));
    expect([error.status, error.code]).toEqual([401, 'missing_api_key']);
  });

  it('lets anonymous callers in where keys are optional, ignoring placeholders but not gateway keys', async () => {
    expect(await authenticateCaller(reads(), { gatewayApiKey: undefined, iamPrincipalArn: undefined }, optional, NOW)).toBe(ANONYMOUS_CALLER);
    expect(await authenticateCaller(reads(), { gatewayApiKey: 'pk-placeholder', iamPrincipalArn: undefined }, optional, NOW)).toBe(ANONYMOUS_CALLER);
    const error = await failure(authenticateCaller(reads(), { gatewayApiKey: 'tpk_revoked-or-unknown', iamPrincipalArn: undefined }, optional, NOW));
    expect(error.code).toBe('invalid_api_key');
  });

  it('ignores an IAM ARN when the URL does not use AWS_IAM', async () => {
    const error = await failure(
      authenticateCaller(reads(), { gatewayApiKey: undefined, iamPrincipalArn: 'arn:aws:iam::123456789012:role/batch-1' }, required, NOW),
    );
    expect(error.code).toBe('missing_api_key');
  });
});

describe('authenticateCaller on an AWS_IAM URL', () => {
  it('maps the ARN to its principal', async () => {
    const identity = await authenticateCaller(
      reads(),
      { gatewayApiKey: undefined, iamPrincipalArn: 'arn:aws:sts::123456789012:assumed-role/batch-1/job' },
      iam,
      NOW,
    );
    expect(identity).toMatchObject({ kind: 'principal', id: 'batch-jobs', workspaceId: 'ws-b', scopes: { providers: ['bedrock'] } });
  });

  it('answers 403 unknown_principal for an ARN no principal matches', async () => {
    const error = await failure(authenticateCaller(reads(), { gatewayApiKey: undefined, iamPrincipalArn: 'arn:aws:iam::123456789012:user/eve' }, iam, NOW));
    expect([error.status, error.code]).toEqual([403, 'unknown_principal']);
  });

  it('answers 401 when the event carried no principal, and never falls back to a gateway key', async () => {
    const error = await failure(authenticateCaller(reads(), { gatewayApiKey: SECRET, iamPrincipalArn: undefined }, iam, NOW));
    expect([error.status, error.code]).toEqual([401, 'missing_iam_principal']);
  });
});
