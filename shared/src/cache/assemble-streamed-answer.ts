import type { JsonObject, JsonValue } from '../core/json.ts';
import { isJsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';
import { openAIUsageJson } from './openai-usage-json.ts';

/** What one choice's deltas add up to. */
interface ChoiceParts {
  index: number;
  text: string[];
  reasoning: string[];
  refusal: string[];
  logprobs: JsonValue[];
  toolCalls: Map<number, { id: string | undefined; name: string; arguments: string[] }>;
  finishReason: JsonValue;
}

function choiceParts(choices: Map<number, ChoiceParts>, index: number): ChoiceParts {
  let parts = choices.get(index);
  if (parts === undefined) {
    parts = { index, text: [], reasoning: [], refusal: [], logprobs: [], toolCalls: new Map(), finishReason: null };
    choices.set(index, parts);
  }
  return parts;
}

function addToolCallDeltas(parts: ChoiceParts, deltas: JsonValue | undefined): void {
  if (!Array.isArray(deltas)) return;
  for (const delta of deltas) {
    if (!isJsonObject(delta)) continue;
    const position = typeof delta.index === 'number' ? delta.index : parts.toolCalls.size;
    let call = parts.toolCalls.get(position);
    if (call === undefined) {
      call = { id: undefined, name: '', arguments: [] };
      parts.toolCalls.set(position, call);
    }
    if (typeof delta.id === 'string') call.id = delta.id;
    const fn = isJsonObject(delta.function) ? delta.function : {};
    if (typeof fn.name === 'string') call.name += fn.name;
    if (typeof fn.arguments === 'string') call.arguments.push(fn.arguments);
  }
}

function addChoice(choices: Map<number, ChoiceParts>, choice: JsonObject, chat: boolean): void {
  const parts = choiceParts(choices, typeof choice.index === 'number' ? choice.index : 0);
  if (chat) {
    const delta = isJsonObject(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string') parts.text.push(delta.content);
    if (typeof delta.reasoning_content === 'string') parts.reasoning.push(delta.reasoning_content);
    if (typeof delta.refusal === 'string') parts.refusal.push(delta.refusal);
    addToolCallDeltas(parts, delta.tool_calls);
  } else if (typeof choice.text === 'string') {
    parts.text.push(choice.text);
  }
  const logprobs = isJsonObject(choice.logprobs) ? choice.logprobs.content : undefined;
  if (Array.isArray(logprobs)) parts.logprobs.push(...logprobs);
  if (choice.finish_reason !== undefined && choice.finish_reason !== null) parts.finishReason = choice.finish_reason;
}

function chatChoice(parts: ChoiceParts): JsonObject {
  const message: JsonObject = { role: 'assistant', content: parts.text.length > 0 ? parts.text.join('') : null };
  if (parts.reasoning.length > 0) message.reasoning_content = parts.reasoning.join('');
  if (parts.refusal.length > 0) message.refusal = parts.refusal.join('');
  if (parts.toolCalls.size > 0) {
    message.tool_calls = [...parts.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id ?? '', type: 'function', function: { name: call.name, arguments: call.arguments.join('') } }));
  }
  return {
    index: parts.index,
    message,
    logprobs: parts.logprobs.length > 0 ? { content: parts.logprobs } : null,
    finish_reason: parts.finishReason,
  };
}

function textChoice(parts: ChoiceParts): JsonObject {
  return { text: parts.text.join(''), index: parts.index, logprobs: null, finish_reason: parts.finishReason };
}

/** The `data:` payloads of SSE text the gateway encoded itself (one `data:` line per event). */
function ssePayloads(text: string): string[] {
  const payloads: string[] = [];
  for (const frame of text.split('\n\n')) {
    for (const line of frame.split('\n')) if (line.startsWith('data:')) payloads.push(line.slice(5).trimStart());
  }
  return payloads;
}

/**
 * Rebuild the non-streamed answer from a streamed one, as the gateway sent it: content,
 * reasoning, refusal, tool calls and logprobs reassembled per choice, the finish reasons,
 * and usage (from the usage chunk, or `usage` when the caller did not ask for that chunk).
 * Returns undefined unless the stream is whole: it ends with `[DONE]`, carries no error
 * event, and every choice has a finish reason. Chat streams give a `chat.completion`,
 * completion streams a `text_completion`.
 */
export function assembleStreamedAnswer(sseText: string, endpoint: 'chat.completions' | 'completions', usage: Usage | undefined): JsonObject | undefined {
  const chat = endpoint === 'chat.completions';
  const choices = new Map<number, ChoiceParts>();
  const head: JsonObject = {};
  let usageJson: JsonValue | undefined = usage === undefined ? undefined : openAIUsageJson(usage);
  let done = false;
  for (const payload of ssePayloads(sseText)) {
    if (done) return undefined;
    if (payload === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      return undefined;
    }
    if (!isJsonObject(chunk) || chunk.error !== undefined) return undefined;
    for (const field of ['id', 'created', 'model', 'system_fingerprint'] as const) {
      if (head[field] === undefined && chunk[field] !== undefined && chunk[field] !== null) head[field] = chunk[field];
    }
    if (isJsonObject(chunk.usage)) usageJson = chunk.usage;
    if (Array.isArray(chunk.choices)) for (const choice of chunk.choices) if (isJsonObject(choice)) addChoice(choices, choice, chat);
  }
  const ordered = [...choices.values()].sort((a, b) => a.index - b.index);
  if (!done || ordered.length === 0 || ordered.some((parts) => parts.finishReason === null)) return undefined;
  const answer: JsonObject = {
    id: head.id ?? '',
    object: chat ? 'chat.completion' : 'text_completion',
    created: head.created ?? 0,
    model: head.model ?? '',
    choices: ordered.map(chat ? chatChoice : textChoice),
  };
  if (usageJson !== undefined) answer.usage = usageJson;
  if (head.system_fingerprint !== undefined) answer.system_fingerprint = head.system_fingerprint;
  return answer;
}
