import { AuthenticationError, PermissionDeniedError } from '../core/gateway-error.ts';
import { GATEWAY_KEY_PREFIX } from '../protocol/portkey-request-headers.ts';
import type { AccessReads } from './access-reads.ts';
import type { CallerIdentity } from './access-records.ts';

/** How the deployment authenticates callers (GatewaySettings). */
export interface AuthenticationPolicy {
  /** Refuse requests without a gateway key (on the NONE URL). */
  requireGatewayKey: boolean;
  /** The function URL's auth type; on AWS_IAM the caller is the signing IAM principal. */
  functionUrlAuth: 'NONE' | 'AWS_IAM';
}

/** What one request presents. */
export interface PresentedCredentials {
  /** A gateway key from x-portkey-api-key or a `tpk_` Bearer token. */
  gatewayApiKey: string | undefined;
  /** The ARN Lambda verified from the SigV4 signature (only ever set on an AWS_IAM URL). */
  iamPrincipalArn: string | undefined;
}

/** Local development without a gateway key: no workspace, no restriction. */
export const ANONYMOUS_CALLER: CallerIdentity = Object.freeze({
  kind: 'anonymous',
  id: 'anonymous',
  workspaceId: undefined,
  scopes: Object.freeze({}),
  metadata: Object.freeze({}),
  defaultConfig: undefined,
  rateLimitId: undefined,
  budgetId: undefined,
}) as CallerIdentity;

/**
 * Decide who is calling. On an AWS_IAM URL the verified ARN must map to a principal (403
 * `unknown_principal`); elsewhere a gateway key must be known, active and unexpired (401), and
 * is required unless the deployment allows anonymous calls. Messages never repeat the key.
 * The IAM URL ignores gateway keys: its callers are identified by their signature alone.
 */
export async function authenticateCaller(
  access: Pick<AccessReads, 'findApiKey' | 'findPrincipal'>,
  presented: PresentedCredentials,
  policy: AuthenticationPolicy,
  now: number,
): Promise<CallerIdentity> {
  if (policy.functionUrlAuth === 'AWS_IAM') {
    const arn = presented.iamPrincipalArn;
    if (arn === undefined) {
      throw new AuthenticationError('This endpoint authenticates by AWS IAM, and the request carried no IAM principal.', 'missing_iam_principal');
    }
    const principal = await access.findPrincipal(arn);
    if (principal === undefined) {
      throw new PermissionDeniedError(`No principal is registered for the IAM caller ${arn}.`, 'unknown_principal');
    }
    return {
      kind: 'principal',
      id: principal.id,
      workspaceId: principal.workspaceId,
      scopes: principal.scopes,
      metadata: principal.metadata,
      defaultConfig: principal.defaultConfig,
      rateLimitId: principal.rateLimitId,
      budgetId: principal.budgetId,
    };
  }

  const secret = presented.gatewayApiKey;
  // Where keys are optional (local mode), the Portkey SDK's placeholder `x-portkey-api-key` is
  // ignored; anything shaped like a gateway key is still checked, so a revoked key never works.
  if (!policy.requireGatewayKey && (secret === undefined || !secret.startsWith(GATEWAY_KEY_PREFIX))) return ANONYMOUS_CALLER;
  if (secret === undefined) {
    throw new AuthenticationError(
      'A gateway API key is required: send it as x-portkey-api-key, or as Authorization: Bearer tpk_….',
      'missing_api_key',
    );
  }
  const key = await access.findApiKey(secret);
  if (key === undefined || key.status !== 'active') {
    throw new AuthenticationError('The gateway API key is not valid.', 'invalid_api_key');
  }
  if (key.expiresAt !== undefined && key.expiresAt <= now) {
    throw new AuthenticationError('The gateway API key has expired.', 'expired_api_key');
  }
  return {
    kind: 'api-key',
    id: key.id,
    workspaceId: key.workspaceId,
    scopes: key.scopes,
    metadata: key.metadata,
    defaultConfig: key.defaultConfig,
    rateLimitId: key.rateLimitId,
    budgetId: key.budgetId,
  };
}
