import { describe, expect, it } from 'vitest';
import {
  arnMatchesPattern,
  arnPatternSpecificity,
  isValidArnPattern,
  roleArnOfSession,
} from '../../../shared/src/keys/principal-arn-pattern.ts';

const ROLE = 'arn:aws:iam::123456789012:role/svc-billing';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/svc-billing/i-0abc123';
const USER = 'arn:aws:iam::123456789012:user/alice';

describe('arnMatchesPattern', () => {
  it('matches an exact ARN and nothing else', () => {
    expect(arnMatchesPattern(USER, USER)).toBe(true);
    expect(arnMatchesPattern('arn:aws:iam::123456789012:user/alice2', USER)).toBe(false);
    expect(arnMatchesPattern('arn:aws:iam::999999999999:user/alice', USER)).toBe(false);
  });

  it('lets * match any run of characters within one ARN part, slashes included', () => {
    expect(arnMatchesPattern(USER, 'arn:aws:iam::123456789012:user/*')).toBe(true);
    expect(arnMatchesPattern('arn:aws:iam::123456789012:user/team/alice', 'arn:aws:iam::123456789012:user/*')).toBe(true);
    expect(arnMatchesPattern(ROLE, 'arn:aws:iam::123456789012:role/svc-*')).toBe(true);
    expect(arnMatchesPattern(ROLE, 'arn:aws:iam::*:role/svc-billing')).toBe(true);
    expect(arnMatchesPattern(ROLE, 'arn:aws:iam::123456789012:role/*-billing')).toBe(true);
    expect(arnMatchesPattern(ROLE, 'arn:aws:iam::123456789012:role/svc-*-x')).toBe(false);
  });

  it('never lets * cross a colon into the next ARN part', () => {
    expect(arnMatchesPattern(USER, 'arn:aws:*')).toBe(false);
    expect(arnMatchesPattern(USER, 'arn:*:iam::123456789012:user/alice')).toBe(true);
    expect(arnMatchesPattern(USER, 'arn:aws:iam:*:user/alice')).toBe(false);
  });

  it('matches an assumed-role session against the role pattern', () => {
    expect(arnMatchesPattern(SESSION, ROLE)).toBe(true);
    expect(arnMatchesPattern(SESSION, 'arn:aws:iam::123456789012:role/svc-*')).toBe(true);
    expect(arnMatchesPattern(SESSION, 'arn:aws:iam::123456789012:role/other')).toBe(false);
    expect(arnMatchesPattern(SESSION, 'arn:aws:iam::210987654321:role/svc-billing')).toBe(false);
    // A session pattern works too.
    expect(arnMatchesPattern(SESSION, 'arn:aws:sts::123456789012:assumed-role/svc-billing/*')).toBe(true);
  });

  it('does not let a role ARN match a session pattern, nor a user match a role', () => {
    expect(arnMatchesPattern(ROLE, 'arn:aws:sts::123456789012:assumed-role/svc-billing/*')).toBe(false);
    expect(arnMatchesPattern(USER, 'arn:aws:iam::123456789012:role/*')).toBe(false);
  });

  it('refuses things that are not ARNs', () => {
    expect(arnMatchesPattern('alice', '*')).toBe(false);
    expect(arnMatchesPattern(USER, '*')).toBe(false);
    expect(arnMatchesPattern('', USER)).toBe(false);
  });

  it('stays fast on a pattern full of wildcards', () => {
    const pattern = `arn:aws:iam::123456789012:role/${'*a'.repeat(200)}b`;
    const arn = `arn:aws:iam::123456789012:role/${'a'.repeat(2000)}`;
    const started = performance.now();
    expect(arnMatchesPattern(arn, pattern)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('roleArnOfSession, isValidArnPattern and arnPatternSpecificity', () => {
  it('derives the role ARN of a session, in its partition', () => {
    expect(roleArnOfSession(SESSION)).toBe(ROLE);
    expect(roleArnOfSession('arn:aws-cn:sts::123456789012:assumed-role/r/s')).toBe('arn:aws-cn:iam::123456789012:role/r');
    expect(roleArnOfSession(USER)).toBeUndefined();
  });

  it('validates patterns by shape', () => {
    expect(isValidArnPattern('arn:aws:iam::123456789012:role/*')).toBe(true);
    expect(isValidArnPattern('arn:aws:iam')).toBe(false);
    expect(isValidArnPattern('role/*')).toBe(false);
  });

  it('ranks exact patterns above wildcards, and longer literals above shorter', () => {
    expect(arnPatternSpecificity(ROLE)).toBeGreaterThan(arnPatternSpecificity('arn:aws:iam::123456789012:role/svc-*'));
    expect(arnPatternSpecificity('arn:aws:iam::123456789012:role/svc-*')).toBeGreaterThan(arnPatternSpecificity('arn:aws:iam::123456789012:role/*'));
  });
});
