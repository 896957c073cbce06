import { describe, expect, it } from 'vitest';
import { collectRequestCredentials, scrubCredentials, scrubCredentialsInJson } from '../../../shared/src/logging/request-credentials.ts';

describe('collectRequestCredentials', () => {
  it('finds the keys of the auth headers, Portkey AWS headers and an inline config, longest first', () => {
    const headers = new Headers({
      authorization: 'Bearer sk-proj-abcdef123456',
      'x-portkey-api-key': 'tpk_live_0123456789',
      'x-portkey-aws-secret-access-key': 'aws/secret/key/1234',
      'x-portkey-config': JSON.stringify({ targets: [{ provider: 'openai', api_key: 'sk-config-key-999' }, { provider: 'anthropic', api_key: 'short' }] }),
      'x-portkey-metadata': '{"user":"alice-the-user"}',
    });
    expect(collectRequestCredentials(headers)).toEqual([
      'Bearer sk-proj-abcdef123456',
      'sk-proj-abcdef123456',
      'tpk_live_0123456789',
      'aws/secret/key/1234',
      'sk-config-key-999',
    ]);
  });

  it('finds nothing without headers or credentials', () => {
    expect(collectRequestCredentials(undefined)).toEqual([]);
    expect(collectRequestCredentials(new Headers({ 'content-type': 'application/json', 'x-portkey-config': 'saved-id' }))).toEqual([]);
  });
});

describe('scrubCredentials', () => {
  it('replaces every occurrence, in text and in JSON values and keys', () => {
    const credentials = ['sk-secret-1234'];
    expect(scrubCredentials('Incorrect API key provided: sk-secret-1234 (sk-secret-1234)', credentials)).toBe(
      'Incorrect API key provided: [credential removed] ([credential removed])',
    );
    expect(scrubCredentialsInJson({ errorMessage: 'key sk-secret-1234', list: ['sk-secret-1234'], n: 1, ['sk-secret-1234']: true }, credentials)).toEqual({
      errorMessage: 'key [credential removed]',
      list: ['[credential removed]'],
      n: 1,
      '[credential removed]': true,
    });
  });
});
