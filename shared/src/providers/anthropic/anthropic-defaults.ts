/** Where Anthropic's API lives; a target's custom_host replaces this whole base (`…/v1`). */
export const ANTHROPIC_API_BASE = 'https://api.anthropic.com/v1';

/** The API version sent when neither the target nor the caller names one. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic requires `max_tokens`; OpenAI callers often omit it. 4096 is the largest output
 * limit that every Claude model still served accepts (Claude 3 Haiku stops at 4096), so the
 * default never turns a valid request into a 400, and it is long enough for ordinary answers.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/** The response header that names the request parameters dropped because Claude has no equivalent. */
export const WARNINGS_HEADER = 'x-turnpike-warnings';
