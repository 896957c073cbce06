import type { ChatCompletionRequest } from '../../core/chat-types.ts';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import { convertConversation, convertSystemPrompt } from './convert-message-turns.ts';
import { convertToolChoice, convertTools } from './convert-tool-definitions.ts';
import { invalidField } from './read-messages-fields.ts';

/** Fields this conversion maps to their OpenAI equivalents. */
const MAPPED_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'metadata',
]);

/**
 * Fields that configure Anthropic's own service (its tiers, its MCP connector, its code
 * containers, its context editing): meaningless elsewhere, so dropped with a warning.
 */
const ANTHROPIC_SERVICE_FIELDS: ReadonlySet<string> = new Set(['service_tier', 'container', 'mcp_servers', 'context_management']);

function readNumber(body: JsonObject, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw invalidField(name, 'a number');
  return value;
}

export interface ConvertedMessagesRequest {
  request: ChatCompletionRequest;
  /** Names of the caller's fields that were dropped, for the `x-turnpike-warnings` header. */
  warnings: string[];
}

/**
 * Turn an Anthropic Messages request into the canonical Chat Completions request, so any
 * provider can answer it. Fields without an OpenAI name pass through unchanged for the
 * provider to use or refuse, as on the chat endpoint: `top_k` (Google, Cohere, Bedrock and
 * many OpenAI-compatible servers take it; OpenAI itself answers 400) and `thinking` (which
 * native providers read). Mapping: system → a system message; stop_sequences → stop;
 * metadata.user_id → user; tool_choice any → required, disable_parallel_tool_use →
 * parallel_tool_calls: false. No `stream_options` is added: some providers refuse it, and
 * the gateway takes stream usage from the provider's stream outcome instead.
 *
 * @example
 * convertMessagesRequest({ model: 'gpt-4.1', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] })
 * // request: { model: 'gpt-4.1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 64 }
 */
export function convertMessagesRequest(body: JsonObject): ConvertedMessagesRequest {
  const { model } = body;
  if (typeof model !== 'string' || model === '') throw invalidField('model', 'a non-empty string');
  const system = convertSystemPrompt(body.system);
  const conversation = convertConversation(body.messages);
  const request: ChatCompletionRequest = { model, messages: system === undefined ? conversation : [system, ...conversation] };

  const maxTokens = readNumber(body, 'max_tokens');
  if (maxTokens !== undefined) request.max_tokens = maxTokens;
  if (body.stop_sequences !== undefined) {
    const stop = body.stop_sequences;
    if (!Array.isArray(stop) || !stop.every((sequence) => typeof sequence === 'string')) {
      throw invalidField('stop_sequences', 'an array of strings');
    }
    if (stop.length > 0) request.stop = stop;
  }
  const temperature = readNumber(body, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = readNumber(body, 'top_p');
  if (topP !== undefined) request.top_p = topP;

  const tools = convertTools(body.tools);
  const choice = convertToolChoice(body.tool_choice);
  // OpenAI refuses tool_choice and parallel_tool_calls without tools.
  if (tools !== undefined) {
    request.tools = tools;
    if (choice !== undefined) request.tool_choice = choice.toolChoice;
    if (choice?.parallelToolCalls !== undefined) request.parallel_tool_calls = choice.parallelToolCalls;
  }

  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isJsonObject(body.metadata)) throw invalidField('metadata', 'an object');
    if (typeof body.metadata.user_id === 'string') request.user = body.metadata.user_id;
  }
  if (body.stream === true) request.stream = true;

  const warnings: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (MAPPED_FIELDS.has(name)) continue;
    if (ANTHROPIC_SERVICE_FIELDS.has(name)) warnings.push(name);
    else request[name] = value;
  }
  return { request, warnings };
}
