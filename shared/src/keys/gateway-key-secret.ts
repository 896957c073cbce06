import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GATEWAY_KEY_PREFIX } from '../protocol/portkey-request-headers.ts';

/** A freshly minted gateway key: `secret` is shown to its owner once; only `hash` is stored. */
export interface GeneratedGatewayKey {
  secret: string;
  /** SHA-256 hex of the whole secret: the id of its `api-key` control item. */
  hash: string;
  /** The first characters (`tpk_AbCd`), safe to show in listings so people recognise a key. */
  displayPrefix: string;
}

const SECRET_BYTES = 32;
const DISPLAY_PREFIX_LENGTH = GATEWAY_KEY_PREFIX.length + 4;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 hex of a gateway key, the only form in which a key is ever stored. */
export function hashGatewayKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Mint a gateway key: the recognisable prefix plus 32 random bytes in base64url (256 bits, so
 * an unsalted fast hash is safe: there is nothing to brute-force that a salt would slow down).
 */
export function generateGatewayKey(): GeneratedGatewayKey {
  const secret = `${GATEWAY_KEY_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { secret, hash: hashGatewayKey(secret), displayPrefix: secret.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/**
 * Whether `secret` hashes to `storedHash`, compared in constant time. Keys are found by their
 * hash, so the look-up itself already compares hashes; this second check makes sure no
 * early-exit string comparison sits on the path that decides whether a key is accepted.
 */
export function gatewayKeyHashMatches(secret: string, storedHash: string): boolean {
  if (!SHA256_HEX.test(storedHash)) return false;
  const computed = Buffer.from(hashGatewayKey(secret), 'hex');
  return timingSafeEqual(computed, Buffer.from(storedHash, 'hex'));
}

/** Whether a presented key has the shape of a gateway key (prefix and base64url body). */
export function looksLikeGatewayKey(secret: string): boolean {
  return secret.startsWith(GATEWAY_KEY_PREFIX) && /^[A-Za-z0-9_-]{16,256}$/.test(secret.slice(GATEWAY_KEY_PREFIX.length));
}

/** A public key id (`key_` + 16 random bytes base64url), safe to show, log and index by. */
export function newApiKeyId(): string {
  return `key_${randomBytes(16).toString('base64url')}`;
}
