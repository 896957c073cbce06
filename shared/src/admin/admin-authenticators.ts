import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../core/gateway-error.ts';
import type { AdminAuthenticator } from './admin-runtime.ts';

/** The actor recorded for every change made with the local admin token. */
export const LOCAL_ADMIN_ACTOR = 'local-admin';

/** SHA-256 hex of an admin token: the only form in which a token is kept. */
export function hashAdminToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * AWS: the admin function URL uses AWS_IAM auth, so Lambda has verified the signature and the
 * caller's permission to invoke it; the signer's ARN is the actor. Without one (a URL
 * misconfigured as NONE) nobody is let in.
 */
export function createIamAdminAuthenticator(): AdminAuthenticator {
  return {
    authenticate(_request, transport) {
      const arn = transport.iamArn;
      if (arn === undefined || arn === '') {
        throw new AuthenticationError('The admin API needs a SigV4-signed request through its AWS_IAM function URL.', 'missing_iam_identity');
      }
      return arn;
    },
  };
}

/**
 * Local mode: `Authorization: Bearer <admin token>`, compared by SHA-256 in constant time
 * against the stored hash, so neither the token nor its length leaks through timing.
 */
export function createTokenAdminAuthenticator(tokenSha256Hex: string): AdminAuthenticator {
  const expected = Buffer.from(tokenSha256Hex, 'hex');
  if (expected.length !== 32) throw new RangeError('The admin token hash must be SHA-256 in hex.');
  return {
    authenticate(request) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
      if (match?.[1] === undefined) {
        throw new AuthenticationError('The admin API needs `Authorization: Bearer <admin token>` (TURNPIKE_ADMIN_TOKEN).', 'missing_admin_token');
      }
      const presented = createHash('sha256').update(match[1], 'utf8').digest();
      if (!timingSafeEqual(presented, expected)) throw new AuthenticationError('The admin token is not valid.', 'invalid_admin_token');
      return LOCAL_ADMIN_ACTOR;
    },
  };
}
