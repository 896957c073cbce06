import type { ChatFinishReason, FinishReason } from '../../core/chat-types.ts';

/**
 * Cohere's finish reasons (https://docs.cohere.com/reference/chat, `finish_reason`).
 * ERROR and TIMEOUT never reach a caller as a finish reason: the provider reports them as
 * failures (see isCohereFailure); they are mapped here only so the table is complete.
 */
const FINISH_REASONS: Readonly<Record<string, ChatFinishReason>> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
  ERROR: 'stop',
  // The generation was cut short, which is what 'length' tells an OpenAI caller.
  TIMEOUT: 'length',
};

/** Map a Cohere finish reason to OpenAI's, keeping Cohere's own value as `raw`. */
export function mapCohereFinishReason(raw: string | undefined | null): FinishReason {
  const value = raw ?? undefined;
  return { unified: (value === undefined ? undefined : FINISH_REASONS[value]) ?? 'stop', raw: value };
}

/** Whether a finish reason means the generation failed rather than ended. */
export function isCohereFailure(raw: string | undefined | null): boolean {
  return raw === 'ERROR' || raw === 'TIMEOUT';
}
