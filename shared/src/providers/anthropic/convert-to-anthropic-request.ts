import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { AnthropicMessagesRequest } from './anthropic-api-types.ts';
import { convertAnthropicThinking } from './convert-anthropic-thinking.ts';
import { convertAnthropicTools } from './convert-anthropic-tools.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';

export interface AnthropicRequestPlan {
  body: AnthropicMessagesRequest;
  /** Request parameters dropped because Claude has no equivalent, for the warnings header. */
  warnings: string[];
  /** The JSON-mode tool's name when response_format asked for JSON. */
  jsonToolName: string | undefined;
  /** Whether the caller asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
}

/** OpenAI parameters this conversion reads itself. */
const HANDLED_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'user',
  'metadata',
  'stream',
  'stream_options',
  'reasoning_effort',
  'thinking',
  'output_config',
  'n',
  'service_tier',
]);

/**
 * Anthropic-native fields a caller who knows Claude may add to an OpenAI request; they go
 * on unchanged (https://docs.anthropic.com/en/api/messages).
 */
const NATIVE_FIELDS: readonly string[] = ['top_k', 'container', 'context_management', 'mcp_servers'];

/** Anthropic's temperature runs from 0 to 1, OpenAI's to 2. */
const MAX_TEMPERATURE = 1;

function maxTokensOf(body: JsonObject): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    const param = body.max_completion_tokens === undefined ? 'max_tokens' : 'max_completion_tokens';
    throw new BadRequestError(`\`${param}\` must be a positive integer.`, 'invalid_value', param);
  }
  return value;
}

function stopSequences(stop: JsonValue | undefined): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = Array.isArray(stop) ? stop : [stop];
  if (!list.every((item): item is string => typeof item === 'string')) {
    throw new BadRequestError('`stop` must be a string or an array of strings.', 'invalid_value', 'stop');
  }
  return list.length === 0 ? undefined : list;
}

function metadataOf(body: JsonObject, warnings: Set<string>): { user_id: string } | undefined {
  // OpenAI's metadata tags stored completions; only Anthropic's own `user_id` key has a meaning here.
  const metadata = body.metadata;
  if (isJsonObject(metadata) && typeof metadata.user_id === 'string') return { user_id: metadata.user_id };
  if (metadata !== undefined && metadata !== null) warnings.add('metadata');
  return typeof body.user === 'string' ? { user_id: body.user } : undefined;
}

/** Parameters set to a value that changes nothing (false, null, n: 1) need no warning. */
function isInert(name: string, value: JsonValue): boolean {
  return value === null || value === false || (name === 'n' && value === 1);
}

/**
 * Turn an OpenAI chat.completions body into an Anthropic Messages body. Parameters Claude
 * cannot honour are dropped and listed in `warnings`; malformed input is a BadRequestError.
 */
export function convertToAnthropicRequest(body: JsonObject, stream: boolean): AnthropicRequestPlan {
  const warnings = new Set<string>();
  if (typeof body.model !== 'string' || body.model === '') {
    throw new BadRequestError('`model` is required.', 'missing_model', 'model');
  }
  const model = body.model;
  const conversation = convertToAnthropicMessages(body.messages, warnings);
  const thinking = convertAnthropicThinking(
    {
      model,
      thinking: body.thinking,
      reasoningEffort: body.reasoning_effort,
      outputConfig: body.output_config,
      maxTokens: maxTokensOf(body),
    },
    warnings,
  );
  const tools = convertAnthropicTools(
    {
      tools: body.tools,
      toolChoice: body.tool_choice,
      parallelToolCalls: body.parallel_tool_calls,
      responseFormat: body.response_format,
      thinkingEnabled: thinking.enabled,
    },
    warnings,
  );

  const request: AnthropicMessagesRequest = { model, max_tokens: thinking.maxTokens, messages: conversation.messages };
  if (conversation.system.length > 0) request.system = conversation.system;
  const stop = stopSequences(body.stop);
  if (stop !== undefined) request.stop_sequences = stop;
  if (typeof body.temperature === 'number') {
    if (body.temperature > MAX_TEMPERATURE) warnings.add('temperature');
    request.temperature = Math.min(body.temperature, MAX_TEMPERATURE);
  }
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  if (tools.tools !== undefined) request.tools = tools.tools;
  if (tools.toolChoice !== undefined) request.tool_choice = tools.toolChoice;
  const metadata = metadataOf(body, warnings);
  if (metadata !== undefined) request.metadata = metadata;
  Object.assign(request, thinking.fields);
  // Anthropic's tiers are `auto` and `standard_only`; OpenAI's flex/priority/default mean nothing to it.
  if (body.service_tier === 'auto' || body.service_tier === 'standard_only') request.service_tier = body.service_tier;
  else if (body.service_tier !== undefined && body.service_tier !== null) warnings.add('service_tier');
  for (const name of NATIVE_FIELDS) {
    const value = body[name];
    if (value !== undefined) request[name] = value;
  }
  if (stream) request.stream = true;

  if (typeof body.n === 'number' && body.n > 1) warnings.add('n');
  for (const [name, value] of Object.entries(body)) {
    if (HANDLED_FIELDS.has(name) || NATIVE_FIELDS.includes(name) || isInert(name, value)) continue;
    warnings.add(name);
  }
  const streamOptions = body.stream_options;
  return {
    body: request,
    warnings: [...warnings],
    jsonToolName: tools.jsonToolName,
    includeUsage: isJsonObject(streamOptions) && streamOptions.include_usage === true,
  };
}
