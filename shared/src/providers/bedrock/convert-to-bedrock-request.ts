import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { ConverseRequest } from './bedrock-api-types.ts';
import { convertToBedrockMessages } from './convert-to-bedrock-messages.ts';
import { convertToBedrockToolConfig, readJsonResponseSchema } from './convert-to-bedrock-tools.ts';

/** A chat request ready for Converse or ConverseStream. */
export interface BedrockChatRequest {
  input: ConverseRequest & { modelId: string };
  /** Whether the answer is expected as a call of the `json` tool (response_format). */
  jsonMode: boolean;
  /** Request parameters Bedrock cannot honour, dropped (sorted, for the warnings header). */
  warnings: string[];
}

/** OpenAI parameters the conversion reads itself. */
const HANDLED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'tools',
  'tool_choice',
  'response_format',
  'n',
  'metadata',
  'additionalModelRequestFields',
]);

/**
 * OpenAI parameters with no Converse equivalent. They are dropped with a warning rather than
 * sent on in additionalModelRequestFields, where the model would reject them as unknown keys.
 */
const UNSUPPORTED_OPENAI = new Set([
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'user',
  'parallel_tool_calls',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'reasoning_effort',
  'web_search_options',
  'functions',
  'function_call',
  'verbosity',
  'safety_identifier',
  'prompt_cache_key',
]);

/**
 * Top-level Converse fields a caller may send as they are (camelCase, in Converse's own
 * shape): guardrails, latency-optimised inference, invocation-log metadata, prompt
 * variables, response field paths, service tier and structured output.
 */
const CONVERSE_FIELDS = new Set([
  'guardrailConfig',
  'performanceConfig',
  'requestMetadata',
  'promptVariables',
  'additionalModelResponseFieldPaths',
  'serviceTier',
  'outputConfig',
]);

function optionalNumber(body: JsonObject, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadRequestError(`${name} must be a number.`, 'invalid_parameter', name);
  return value;
}

function stopSequences(raw: JsonValue | undefined): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new BadRequestError('stop must be a string or an array of strings.', 'invalid_parameter', 'stop');
  }
  return list as string[];
}

function isSet(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null && value !== false;
}

/** OpenAI's `metadata` (a map of strings) is what Converse calls requestMetadata. */
function requestMetadata(raw: JsonValue | undefined, warnings: Set<string>): Record<string, string> | undefined {
  if (!isJsonObject(raw)) return undefined;
  const entries = Object.entries(raw);
  if (!entries.every(([, value]) => typeof value === 'string')) {
    warnings.add('metadata');
    return undefined;
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Turn an OpenAI chat request into a Converse request. Sampling parameters go to
 * `inferenceConfig`; OpenAI parameters Bedrock lacks are dropped with a warning; Converse's
 * own top-level fields pass as they are; every other parameter (top_k, thinking,
 * reasoning_config, anthropic_beta, ...) is model-specific and goes to
 * `additionalModelRequestFields`, merged over any the caller sent under that name.
 */
export function convertToBedrockRequest(body: JsonObject): BedrockChatRequest {
  const model = body.model;
  if (typeof model !== 'string' || model === '') throw new BadRequestError('model must be a non-empty string.', 'invalid_parameter', 'model');
  const warnings = new Set<string>();
  const conversation = convertToBedrockMessages(body.messages);
  const jsonSchema = readJsonResponseSchema(body.response_format);
  const input: BedrockChatRequest['input'] = { modelId: model, messages: conversation.messages };
  if (conversation.system.length > 0) input.system = conversation.system;

  const maxTokens = optionalNumber(body, 'max_completion_tokens') ?? optionalNumber(body, 'max_tokens');
  const temperature = optionalNumber(body, 'temperature');
  const topP = optionalNumber(body, 'top_p');
  const stop = stopSequences(body.stop);
  const inferenceConfig: NonNullable<ConverseRequest['inferenceConfig']> = {};
  if (maxTokens !== undefined) inferenceConfig.maxTokens = maxTokens;
  if (temperature !== undefined) inferenceConfig.temperature = temperature;
  if (topP !== undefined) inferenceConfig.topP = topP;
  if (stop !== undefined) inferenceConfig.stopSequences = stop;
  if (Object.keys(inferenceConfig).length > 0) input.inferenceConfig = inferenceConfig;

  const toolConfig = convertToBedrockToolConfig({
    tools: body.tools,
    toolChoice: body.tool_choice,
    jsonSchema,
    historyUsesTools: conversation.usesTools,
    warnings,
  });
  if (toolConfig !== undefined) input.toolConfig = toolConfig;

  const n = optionalNumber(body, 'n');
  if (n !== undefined && n !== 1) warnings.add('n');
  const metadata = requestMetadata(body.metadata, warnings);
  const passedConverseFields: JsonObject = {};
  const additional: JsonObject = isJsonObject(body.additionalModelRequestFields) ? { ...body.additionalModelRequestFields } : {};
  for (const [name, value] of Object.entries(body)) {
    if (HANDLED.has(name)) continue;
    if (UNSUPPORTED_OPENAI.has(name)) {
      if (isSet(value)) warnings.add(name);
    } else if (CONVERSE_FIELDS.has(name)) {
      passedConverseFields[name] = value;
    } else {
      additional[name] = value;
    }
  }
  // The caller's own Converse fields are in Converse's shape by definition; the SDK checks them.
  Object.assign(input, passedConverseFields);
  if (metadata !== undefined && input.requestMetadata === undefined) input.requestMetadata = metadata;
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional;
  return { input, jsonMode: jsonSchema !== undefined, warnings: [...warnings].sort() };
}
