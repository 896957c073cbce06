import type { JsonObject } from '../../core/json.ts';
import { stableHash } from './stable-hash.ts';

const encoder = new TextEncoder();

/** A log probability in (-3, 0], fixed per token so repeated calls agree. */
function logprobOf(token: string): number {
  const spread = Number.parseInt(stableHash(token).slice(0, 6), 16) % 3000;
  return spread === 0 ? 0 : -spread / 1000;
}

function entry(token: string, logprob: number): JsonObject {
  return { token, logprob, bytes: Array.from(encoder.encode(token)) };
}

/**
 * OpenAI's `logprobs.content` entry for one token, with `top` alternatives (the token itself
 * first, then made-up tokens each one nat less likely).
 */
export function tokenLogprob(token: string, top: number): JsonObject {
  const logprob = logprobOf(token);
  const alternatives: JsonObject[] = [];
  for (let rank = 0; rank < top; rank += 1) {
    alternatives.push(rank === 0 ? entry(token, logprob) : entry(`${token.trim()}~${rank}`, logprob - rank));
  }
  return { ...entry(token, logprob), top_logprobs: alternatives };
}

/** A chat choice's `logprobs` object for these tokens. */
export function chatLogprobs(tokens: readonly string[], top: number): JsonObject {
  return { content: tokens.map((token) => tokenLogprob(token, top)), refusal: null };
}
