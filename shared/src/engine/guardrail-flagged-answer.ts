import { GatewayError } from '../core/gateway-error.ts';
import type { Usage } from '../core/usage.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';

/**
 * A complete answer a guardrail flagged without denying it: Portkey's 246. It is an answer, not
 * an error, but it travels as a thrown GatewayError with status 246 so that routing can act on
 * it like on any status: a retry or a fallback whose `on_status_codes` holds 246 tries again,
 * as Portkey documents (https://portkey.ai/docs/product/guardrails). Nothing else treats a 246 as
 * a failure (retry and fallback defaults only look at 4xx/5xx), so when nobody acts on it the
 * engine unwraps it and sends `response`.
 */
export class GuardrailFlaggedAnswer extends GatewayError {
  readonly response: ProviderResponse;

  /** `usage`: what a fresh answer cost (a routing step that moves past it still owes it); none for a cached one. */
  constructor(response: ProviderResponse, usage?: Usage) {
    super('A guardrail check failed; the answer is delivered with status 246.', { status: 246, type: 'hooks_failed', code: 'hooks_flagged', retryable: false, usage });
    this.response = response;
  }
}

/** The answer routing produced, with a flagged answer nobody retried unwrapped. */
export async function unwrapFlaggedAnswer(routed: Promise<ProviderResponse>): Promise<ProviderResponse> {
  try {
    return await routed;
  } catch (error) {
    if (error instanceof GuardrailFlaggedAnswer) return error.response;
    throw error;
  }
}
