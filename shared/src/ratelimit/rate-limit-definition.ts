/** Control item kind of rate-limit definitions (id = the `rateLimitId` keys and principals carry, or `workspace:<id>`). */
export const RATE_LIMIT_KIND = 'rate-limit';

/** Requests and tokens per minute, each optional; enforced per caller (key or principal) or per workspace. */
export interface RateLimitDefinition {
  id: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

const positiveInteger = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;

/** Read a stored definition leniently: a malformed limit is treated as absent, never as 0. */
export function parseRateLimitDefinition(id: string, data: Readonly<Record<string, unknown>>): RateLimitDefinition {
  const definition: RateLimitDefinition = { id };
  const requests = positiveInteger(data.requestsPerMinute);
  const tokens = positiveInteger(data.tokensPerMinute);
  if (requests !== undefined) definition.requestsPerMinute = requests;
  if (tokens !== undefined) definition.tokensPerMinute = tokens;
  return definition;
}

/** The id of a workspace's own rate limit or budget in the Control table. */
export function workspaceLimitId(workspaceId: string): string {
  return `workspace:${workspaceId}`;
}
