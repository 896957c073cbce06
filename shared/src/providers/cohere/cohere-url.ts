import type { ResolvedTarget } from '../provider-model.ts';

/** Cohere's API origin; the API version is part of each path (`/v2/chat`, `/v1/models`). */
export const COHERE_ORIGIN = 'https://api.cohere.com';

/**
 * The URL of one Cohere API path. A custom host replaces the origin (a private deployment or
 * a proxy serves the same paths below it), so `https://proxy.example/cohere` gives
 * `https://proxy.example/cohere/v2/chat`.
 */
export function cohereUrl(target: ResolvedTarget, path: string): string {
  const origin = (target.customHost ?? COHERE_ORIGIN).replace(/\/+$/, '');
  return `${origin}${path}`;
}

/**
 * Where a passthrough call goes. The caller's path is below the gateway's `/v1`; it lands on
 * Cohere's current API (`/v2`) unless it names a version itself (`/v1/v1/classify` on the
 * gateway reaches Cohere's `/v1/classify`).
 */
export function coherePassthroughPath(path: string, search: string): string {
  const versioned = /^\/v\d+\//.test(path);
  return `${versioned ? '' : '/v2'}${path}${search}`;
}
