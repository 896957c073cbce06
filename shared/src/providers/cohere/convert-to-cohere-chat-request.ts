import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { CohereChatRequest } from './cohere-api-types.ts';
import { convertToCohereMessages } from './convert-to-cohere-messages.ts';
import { convertToCohereTools } from './convert-to-cohere-tools.ts';

export interface ConvertedChatRequest {
  body: CohereChatRequest;
  /** Names of caller parameters Cohere has no equivalent for; they were dropped. */
  warnings: string[];
}

/** OpenAI parameter → Cohere parameter, for those that differ only in name. */
const RENAMED: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  top_p: 'p',
  top_k: 'k',
  seed: 'seed',
  frequency_penalty: 'frequency_penalty',
  presence_penalty: 'presence_penalty',
};

/** Cohere-only parameters a caller may send as extras; they go through unchanged. */
const COHERE_NATIVE: ReadonlySet<string> = new Set([
  'documents',
  'citation_options',
  'safety_mode',
  'strict_tools',
  'thinking',
  'priority',
  'k',
  'p',
]);

/** Parameters read by the conversion itself (or by the gateway) rather than copied. */
const HANDLED: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'response_format',
  'reasoning_effort',
]);

/** Values that ask for what Cohere does anyway, so dropping them changes nothing. */
function isDefaultValue(name: string, value: JsonValue): boolean {
  return (
    (name === 'n' && value === 1) ||
    (name === 'parallel_tool_calls' && value === true) ||
    ((name === 'logprobs' || name === 'store') && value === false) ||
    value === null
  );
}

function stopSequences(stop: JsonValue | undefined): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) return stop as string[];
  throw new BadRequestError('`stop` must be a string or an array of strings.', 'invalid_request', 'stop');
}

/** JSON mode and JSON-schema mode are both Cohere's `json_object`, the latter with its schema. */
function responseFormat(format: JsonValue | undefined): CohereChatRequest['response_format'] {
  if (!isJsonObject(format) || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    const schema = isJsonObject(format.json_schema) ? format.json_schema.schema : undefined;
    return isJsonObject(schema) ? { type: 'json_object', json_schema: schema } : { type: 'json_object' };
  }
  throw new BadRequestError(`Unknown response_format type "${String(format.type)}".`, 'invalid_request', 'response_format.type');
}

/**
 * OpenAI's reasoning_effort in Cohere's terms: reasoning models think unless told not to
 * (https://docs.cohere.com/docs/reasoning), and Cohere has no graded effort, only on and off.
 */
function thinking(effort: JsonValue | undefined): JsonObject | undefined {
  if (effort === undefined || effort === null) return undefined;
  return { type: effort === 'none' ? 'disabled' : 'enabled' };
}

/**
 * Turn an OpenAI chat request into a Cohere v2 `/v2/chat` body. Parameters Cohere has no
 * equivalent for are dropped and named in `warnings` rather than failing the request.
 */
export function convertToCohereChatRequest(openAI: JsonObject, stream: boolean): ConvertedChatRequest {
  if (typeof openAI.model !== 'string' || openAI.model === '') {
    throw new BadRequestError('`model` must be a non-empty string.', 'invalid_request', 'model');
  }
  const body: CohereChatRequest = {
    model: openAI.model,
    messages: convertToCohereMessages(openAI.messages),
    ...convertToCohereTools(openAI.tools, openAI.tool_choice),
  };
  const warnings: string[] = [];

  for (const [name, value] of Object.entries(openAI)) {
    if (HANDLED.has(name)) continue;
    const renamed = RENAMED[name];
    if (renamed !== undefined) body[renamed] = value;
    else if (COHERE_NATIVE.has(name)) body[name] = value;
    else if (!isDefaultValue(name, value)) warnings.push(name);
  }

  const maxTokens = openAI.max_completion_tokens ?? openAI.max_tokens;
  if (typeof maxTokens === 'number') body.max_tokens = maxTokens;
  const stop = stopSequences(openAI.stop);
  if (stop !== undefined) body.stop_sequences = stop;
  const format = responseFormat(openAI.response_format);
  if (format !== undefined) body.response_format = format;
  const reasoning = thinking(openAI.reasoning_effort);
  // A caller's own Cohere `thinking` object is more precise than reasoning_effort.
  if (reasoning !== undefined && body.thinking === undefined) body.thinking = reasoning;
  if (stream) body.stream = true;
  return { body, warnings };
}
