import { InternalGatewayError } from '../core/gateway-error.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import { assertScopeAllows } from '../keys/access-scopes.ts';
import { authenticateCaller } from '../keys/authenticate-caller.ts';
import type { PortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import type { RequestRecord } from '../ports/request-log-sink.ts';
import type { GatewayRequestContext } from './gateway-engine.ts';
import type { GatewayRuntime, GatewaySettings } from './gateway-runtime.ts';
import type { PreparedRequest } from './prepare-request.ts';

/** Who made one request, and which virtual key served it; kept on the PreparedRequest. */
export interface RequestAccess {
  identity: CallerIdentity;
  /** The verified IAM caller, on an AWS_IAM URL. */
  principalArn: string | undefined;
  /** The virtual key of the target that answered last (set per leaf attempt). */
  virtualKeyId: string | undefined;
}

/** Whether callers on this deployment are IAM principals (the internal function URL). */
export function usesIamAuth(settings: GatewaySettings): boolean {
  return settings.functionUrlAuth === 'AWS_IAM';
}

/**
 * The headers credentials are read from. On an AWS_IAM URL `Authorization` carries the
 * caller's SigV4 signature, which is neither a gateway key nor a provider key, so it is left out.
 */
export function credentialHeaders(headers: Headers, settings: GatewaySettings): Headers {
  if (!usesIamAuth(settings) || !headers.has('authorization')) return headers;
  const without = new Headers(headers);
  without.delete('authorization');
  return without;
}

/**
 * The authenticate step: a gateway key, or the IAM principal the function URL verified. The
 * context's ARN counts only when the deployment says its URL uses AWS_IAM, whatever the
 * caller of `handle` passed.
 */
export async function authenticateRequest(
  runtime: GatewayRuntime,
  portkey: PortkeyRequestHeaders,
  context: GatewayRequestContext | undefined,
): Promise<RequestAccess> {
  const { settings } = runtime;
  const principalArn = usesIamAuth(settings) ? context?.iamPrincipalArn : undefined;
  const identity = await authenticateCaller(
    runtime.access,
    { gatewayApiKey: usesIamAuth(settings) ? undefined : portkey.gatewayApiKey, iamPrincipalArn: principalArn },
    { requireGatewayKey: settings.requireGatewayKey ?? settings.mode === 'aws', functionUrlAuth: settings.functionUrlAuth ?? 'NONE' },
    runtime.clock.now(),
  );
  return { identity, principalArn, virtualKeyId: undefined };
}

/** The caller of an authenticated request; routing without one is a bug, never "anonymous". */
export function requireIdentity(prepared: PreparedRequest): CallerIdentity {
  const identity = prepared.access?.identity;
  if (identity === undefined) throw new InternalGatewayError('The request reached routing without being authenticated.');
  return identity;
}

/**
 * The config to resolve: the request's `x-portkey-config` (a saved id must be in the caller's
 * configs scope; inline JSON is checked target by target instead), else the caller's default.
 */
export function configReference(prepared: PreparedRequest): string | undefined {
  const identity = requireIdentity(prepared);
  const header = prepared.portkey.config;
  if (header === undefined) return identity.defaultConfig;
  if (!header.startsWith('{')) assertScopeAllows(identity, 'configs', header);
  return header;
}

/** The request record's identity fields, and its metadata: the caller's, then the request's on top. */
export function accessRecordFields(
  prepared: PreparedRequest | undefined,
): Pick<RequestRecord, 'apiKeyId' | 'workspaceId' | 'principalArn' | 'virtualKeyId' | 'metadata'> {
  const requestMetadata = prepared?.portkey.metadata ?? {};
  const access = prepared?.access;
  if (access === undefined || access.identity.kind === 'anonymous') {
    return { metadata: requestMetadata, virtualKeyId: access?.virtualKeyId };
  }
  const { identity } = access;
  const metadata = Object.keys(identity.metadata).length === 0 ? requestMetadata : { ...identity.metadata, ...requestMetadata };
  return {
    apiKeyId: identity.id,
    workspaceId: identity.workspaceId,
    principalArn: access.principalArn,
    virtualKeyId: access.virtualKeyId,
    metadata,
  };
}
