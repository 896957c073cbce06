import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  gatewayKeyHashMatches,
  generateGatewayKey,
  hashGatewayKey,
  looksLikeGatewayKey,
  newApiKeyId,
} from '../../../shared/src/keys/gateway-key-secret.ts';

describe('generateGatewayKey', () => {
  it('mints tpk_ plus 32 random bytes in base64url, with its SHA-256 hash and a display prefix', () => {
    const key = generateGatewayKey();
    expect(key.secret).toMatch(/^tpk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.secret.slice(4), 'base64url')).toHaveLength(32);
    expect(key.hash).toBe(createHash('sha256').update(key.secret).digest('hex'));
    expect(key.displayPrefix).toBe(key.secret.slice(0, 8));
    expect(looksLikeGatewayKey(key.secret)).toBe(true);
  });

  it('never repeats itself', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateGatewayKey().secret));
    expect(secrets.size).toBe(200);
  });
});

describe('hashGatewayKey and gatewayKeyHashMatches', () => {
  it('hashes to lowercase SHA-256 hex', () => {
    expect(hashGatewayKey('tpk_abc')).toBe(createHash('sha256').update('tpk_abc').digest('hex'));
  });

  it('accepts the key whose hash is stored and refuses any other', () => {
    const { secret, hash } = generateGatewayKey();
    expect(gatewayKeyHashMatches(secret, hash)).toBe(true);
    expect(gatewayKeyHashMatches(`${secret}x`, hash)).toBe(false);
    expect(gatewayKeyHashMatches(generateGatewayKey().secret, hash)).toBe(false);
  });

  it('refuses a stored hash that is not 64 hex characters instead of throwing', () => {
    const { secret, hash } = generateGatewayKey();
    expect(gatewayKeyHashMatches(secret, hash.slice(0, 10))).toBe(false);
    expect(gatewayKeyHashMatches(secret, hash.toUpperCase())).toBe(false);
    expect(gatewayKeyHashMatches(secret, '')).toBe(false);
  });
});

describe('looksLikeGatewayKey and newApiKeyId', () => {
  it('tells gateway keys from provider keys and junk', () => {
    expect(looksLikeGatewayKey('sk-proj-abc')).toBe(false);
    expect(looksLikeGatewayKey('tpk_short')).toBe(false);
    expect(looksLikeGatewayKey('tpk_has spaces in it and more')).toBe(false);
  });

  it('makes public ids with the key_ prefix', () => {
    expect(newApiKeyId()).toMatch(/^key_[A-Za-z0-9_-]{22}$/);
  });
});
