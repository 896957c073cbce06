import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import { DEFAULT_MAX_TOKENS } from './anthropic-defaults.ts';

/**
 * Thinking budgets for OpenAI's `reasoning_effort` on models that take a fixed budget.
 * 1024 is Anthropic's minimum budget; each step up roughly quadruples the room to think.
 */
export const REASONING_BUDGET_TOKENS: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
};

const MINIMUM_BUDGET_TOKENS = 1024;

/**
 * Models that take `thinking: {type: 'enabled', budget_tokens}`: Claude 3.7 and the Claude 4
 * family up to 4.5. Claude 4.6 and later think adaptively and take an effort level instead
 * (fixed budgets are deprecated there and refused from Opus 4.7 on), so any model name not
 * matched here, including ones newer than this code, gets the adaptive form.
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
const BUDGET_THINKING_MODEL = /^claude-(?:3-7-sonnet|(?:opus|sonnet|haiku)-4(?:-[0-5])?(?:-\d{8}|-latest)?$)/;

/** Claude models from before extended thinking: reasoning_effort has nothing to map to. */
const NON_THINKING_MODEL = /^claude-(?:instant|2|3-(?!7))/;

export interface ThinkingInput {
  model: string;
  thinking: JsonValue | undefined;
  reasoningEffort: JsonValue | undefined;
  outputConfig: JsonValue | undefined;
  /** The caller's max_completion_tokens / max_tokens, when given. */
  maxTokens: number | undefined;
}

export interface ThinkingPlan {
  /** `thinking` and `output_config` to add to the request, when any. */
  fields: JsonObject;
  /** Whether Claude will think, which rules out forced tool choices. */
  enabled: boolean;
  /** The `max_tokens` to send: thinking counts against it, so the default leaves room for it. */
  maxTokens: number;
}

function isThinkingOn(thinking: JsonObject): boolean {
  return thinking.type === 'enabled' || thinking.type === 'adaptive';
}

/**
 * Decide how Claude thinks. A caller's Anthropic-native `thinking` object goes on unchanged
 * (the caller knows its model). Otherwise OpenAI's `reasoning_effort` becomes a fixed
 * thinking budget on models that take one and adaptive thinking with `output_config.effort`
 * on newer ones; `none` leaves thinking off.
 */
export function convertAnthropicThinking(input: ThinkingInput, warnings: Set<string>): ThinkingPlan {
  const fields: JsonObject = {};
  const outputConfig = isJsonObject(input.outputConfig) ? input.outputConfig : undefined;
  if (outputConfig !== undefined) fields.output_config = outputConfig;
  else if (input.outputConfig !== undefined && input.outputConfig !== null) warnings.add('output_config');

  if (isJsonObject(input.thinking)) {
    if (input.reasoningEffort !== undefined && input.reasoningEffort !== null) warnings.add('reasoning_effort');
    fields.thinking = input.thinking;
    const budget = typeof input.thinking.budget_tokens === 'number' ? input.thinking.budget_tokens : 0;
    return { fields, enabled: isThinkingOn(input.thinking), maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS + budget };
  }
  const effort = input.reasoningEffort;
  const plain = { fields, enabled: false, maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS };
  if (effort === undefined || effort === null || effort === 'none') return plain;
  if (typeof effort !== 'string' || NON_THINKING_MODEL.test(input.model)) {
    warnings.add('reasoning_effort');
    return plain;
  }

  if (BUDGET_THINKING_MODEL.test(input.model)) {
    let budget = REASONING_BUDGET_TOKENS[effort];
    if (budget === undefined) {
      warnings.add('reasoning_effort');
      return plain;
    }
    // Thinking counts against max_tokens and Anthropic wants the budget below it.
    if (input.maxTokens !== undefined) budget = Math.min(budget, input.maxTokens - 1);
    if (budget < MINIMUM_BUDGET_TOKENS) {
      warnings.add('reasoning_effort');
      return plain;
    }
    fields.thinking = { type: 'enabled', budget_tokens: budget };
    return { fields, enabled: true, maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS + budget };
  }

  fields.thinking = { type: 'adaptive' };
  fields.output_config = { ...outputConfig, effort: effort === 'minimal' ? 'low' : effort };
  const headroom = REASONING_BUDGET_TOKENS[effort] ?? REASONING_BUDGET_TOKENS.high ?? 0;
  return { fields, enabled: true, maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS + headroom };
}
