import { GatewayError, type OpenAIErrorBody } from './gateway-error.ts';
import type { Usage } from './usage.ts';

/**
 * A guardrail with `deny: true` failed: Portkey's 446, whose body carries the guardrail results
 * beside the error (`hook_results`) and whose `type` is Portkey's `hooks_failed`, with `code`
 * null as Portkey sends it (https://portkey.ai/docs/product/guardrails). Routing treats it like any
 * failed status: a fallback or retry whose `on_status_codes` holds 446 moves on.
 */
export class GuardrailDeniedError extends GatewayError {
  /** `{before_request_hooks: [...], after_request_hooks: [...]}`, JSON-ready. */
  readonly hookResults: Readonly<Record<string, unknown>>;

  /** `usage`: what the refused answer cost when an output guardrail refused it (the provider did the work). */
  constructor(hookResults: Readonly<Record<string, unknown>>, usage?: Usage) {
    super('The guardrail checks defined in the config failed. You can find more information in the `hook_results` object.', {
      status: 446,
      type: 'hooks_failed',
      code: 'hooks_failed',
      retryable: false,
      usage,
    });
    this.hookResults = hookResults;
  }

  override toOpenAIError(): OpenAIErrorBody & { hook_results: Readonly<Record<string, unknown>> } {
    return { error: { message: this.message, type: this.type, code: null, param: null }, hook_results: this.hookResults };
  }
}
