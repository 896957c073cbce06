import { describe, expect, it } from 'vitest';
import { PermissionDeniedError } from '../../../shared/src/core/gateway-error.ts';
import { assertScopeAllows, scopeAllows } from '../../../shared/src/keys/access-scopes.ts';

function denial(action: () => void): PermissionDeniedError {
  try {
    action();
  } catch (error) {
    if (error instanceof PermissionDeniedError) return error;
    throw error;
  }
  throw new Error('expected a PermissionDeniedError');
}

describe('scopeAllows', () => {
  it('allows everything when the list is absent and nothing when it is empty', () => {
    expect(scopeAllows(undefined, 'gpt-4o')).toBe(true);
    expect(scopeAllows([], 'gpt-4o')).toBe(false);
  });

  it('matches exactly, or by prefix for entries ending in *', () => {
    expect(scopeAllows(['gpt-4o'], 'gpt-4o')).toBe(true);
    expect(scopeAllows(['gpt-4o'], 'gpt-4o-mini')).toBe(false);
    expect(scopeAllows(['gpt-4o*'], 'gpt-4o-mini')).toBe(true);
    expect(scopeAllows(['claude-*'], 'gpt-4o')).toBe(false);
    expect(scopeAllows(['*'], 'anything')).toBe(true);
  });
});

describe('assertScopeAllows', () => {
  it('throws 403 scope_denied naming the value and the scope', () => {
    const error = denial(() => assertScopeAllows({ kind: 'api-key', scopes: { models: ['gpt-4o-mini'] } }, 'models', 'gpt-4o'));
    expect(error.status).toBe(403);
    expect(error.code).toBe('scope_denied');
    expect(error.message).toBe('This key may not use model "gpt-4o": it is not in the key\'s models scope.');
  });

  it('names virtual keys, providers and configs by their admin API field, and principals as principals', () => {
    expect(denial(() => assertScopeAllows({ kind: 'api-key', scopes: { virtualKeys: [] } }, 'virtualKeys', 'vk-1')).message).toBe(
      'This key may not use virtual key "vk-1": it is not in the key\'s virtual_keys scope.',
    );
    expect(denial(() => assertScopeAllows({ kind: 'principal', scopes: { providers: ['openai'] } }, 'providers', 'anthropic')).message).toBe(
      'This principal may not use provider "anthropic": it is not in the principal\'s providers scope.',
    );
    expect(denial(() => assertScopeAllows({ kind: 'api-key', scopes: { configs: ['prod'] } }, 'configs', 'dev')).message).toContain("configs scope");
  });

  it('passes values in scope', () => {
    expect(() => assertScopeAllows({ kind: 'api-key', scopes: { providers: ['mock'] } }, 'providers', 'mock')).not.toThrow();
    expect(() => assertScopeAllows({ kind: 'api-key', scopes: {} }, 'models', 'x')).not.toThrow();
  });
});
