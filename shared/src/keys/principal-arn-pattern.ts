/**
 * IAM principal ARNs matched against the patterns principals are registered with.
 *
 * An ARN has six `:`-separated parts (`arn:partition:service:region:account:resource`; the
 * resource may itself contain `:`). Like IAM's `ArnLike`, each part is matched on its own and
 * `*` matches any run of characters inside that part (including `/`), never across a `:`.
 * `?` has no special meaning here.
 *
 * Callers that assumed a role sign as a session: `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 * Such an ARN also matches the role's own ARN, `arn:aws:iam::<account>:role/<role>`, so a
 * principal can be registered for a role without knowing its session names. The session ARN
 * carries no role path, so a pattern for a role with a path (`role/team/x`) has to be written
 * `role/*x` or against the session ARN itself.
 */

const ARN_PARTS = 6;

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < ARN_PARTS || parts[0] !== 'arn') return undefined;
  // Everything from the sixth part on is the resource, colons and all.
  return [...parts.slice(0, ARN_PARTS - 1), parts.slice(ARN_PARTS - 1).join(':')];
}

/**
 * `*`-only glob match with the two-pointer algorithm: linear-ish time whatever the pattern,
 * where a regex built from an operator's pattern (`*a*a*a*…`) could backtrack for a long time.
 */
function partMatches(value: string, pattern: string): boolean {
  let v = 0;
  let p = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === value[v]) {
      v++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starAt = p++;
      resumeAt = v;
    } else if (starAt !== -1) {
      p = starAt + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function matchesOne(arn: string, pattern: string): boolean {
  const arnParts = splitArn(arn);
  const patternParts = splitArn(pattern);
  if (arnParts === undefined || patternParts === undefined) return false;
  return arnParts.every((part, index) => partMatches(part, patternParts[index] ?? ''));
}

/** The role ARN behind an assumed-role session ARN, or undefined for any other ARN. */
export function roleArnOfSession(arn: string): string | undefined {
  const match = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  if (match === null) return undefined;
  const [, partition, account, role] = match;
  return `arn:${partition}:iam::${account}:role/${role}`;
}

/**
 * Whether a caller's ARN matches a principal's pattern: exactly, with `*` wildcards per ARN
 * part, or (for an assumed-role session) through the role's own ARN.
 *
 * @example arnMatchesPattern('arn:aws:sts::123456789012:assumed-role/svc-a/i-0ab', 'arn:aws:iam::123456789012:role/svc-*') // true
 */
export function arnMatchesPattern(arn: string, pattern: string): boolean {
  if (matchesOne(arn, pattern)) return true;
  const role = roleArnOfSession(arn);
  return role !== undefined && matchesOne(role, pattern);
}

/** Whether a pattern is a well-formed ARN pattern (six parts, starting with `arn:`). */
export function isValidArnPattern(pattern: string): boolean {
  return pattern.length <= 2048 && splitArn(pattern) !== undefined;
}

/**
 * How specific a pattern is, so that when several principals match a caller the most precise
 * registration wins: exact patterns first, then more literal characters.
 */
export function arnPatternSpecificity(pattern: string): number {
  const wildcards = pattern.split('*').length - 1;
  return wildcards === 0 ? Number.MAX_SAFE_INTEGER : pattern.length - wildcards;
}
