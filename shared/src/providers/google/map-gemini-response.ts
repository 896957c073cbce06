import type { ChatCompletion } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { GeminiCandidate, GeminiGenerateContentResponse } from './gemini-api-types.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { toOpenAIUsage, usageFromGemini } from './map-gemini-usage.ts';
import { geminiToolCallId, toChatToolCall, type GeminiChatToolCall } from './gemini-tool-calls.ts';

/** What the answer is named by: its id, time and model, the same on every chunk of a stream. */
export interface GeminiAnswerIdentity {
  /** `chatcmpl-…`, from Gemini's responseId when it sent one. */
  id: string;
  /** Key for generated tool call ids (the responseId, or a random one). */
  toolCallKey: string;
  /** Seconds since the epoch. */
  created: number;
  model: string;
}

/** The id, tool call key and model of an answer, from its first (or only) response. */
export function answerIdentity(
  response: GeminiGenerateContentResponse,
  fallback: { model: string; created: number; randomKey: () => string },
): GeminiAnswerIdentity {
  const key = typeof response.responseId === 'string' && response.responseId !== '' ? response.responseId : fallback.randomKey();
  return {
    id: `chatcmpl-${key}`,
    toolCallKey: key,
    created: fallback.created,
    model: typeof response.modelVersion === 'string' && response.modelVersion !== '' ? response.modelVersion : fallback.model,
  };
}

type Choice = ChatCompletion['choices'][number];

function mapCandidate(candidate: GeminiCandidate, position: number, identity: GeminiAnswerIdentity): Choice {
  const index = typeof candidate.index === 'number' ? candidate.index : position;
  let text = '';
  let reasoning = '';
  const toolCalls: GeminiChatToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (typeof part.text === 'string') {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    }
    const call = part.functionCall;
    if (call !== undefined && typeof call.name === 'string') {
      const id = geminiToolCallId(identity.toolCallKey, index, toolCalls.length, call.id);
      toolCalls.push(toChatToolCall(id, call.name, call.args, part.thoughtSignature));
    }
  }
  const message: Choice['message'] = { role: 'assistant', content: text !== '' || toolCalls.length === 0 ? text : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  message.refusal = null;
  const finish = mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0);
  return { index, message, logprobs: null, finish_reason: finish.unified };
}

/**
 * A whole generateContent answer in OpenAI's chat.completion shape. A prompt Gemini refused
 * to answer (promptFeedback.blockReason, no candidates) becomes one empty choice finished by
 * `content_filter`: a 200, as OpenAI reports its own filtered answers.
 */
export function mapGeminiResponse(
  response: GeminiGenerateContentResponse,
  identity: GeminiAnswerIdentity,
): { completion: ChatCompletion; usage: Usage | undefined } {
  const candidates = response.candidates ?? [];
  const choices =
    candidates.length === 0 && response.promptFeedback?.blockReason !== undefined
      ? [{ index: 0, message: { role: 'assistant' as const, content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' as const }]
      : candidates.map((candidate, position) => mapCandidate(candidate, position, identity));
  const usage = usageFromGemini(response.usageMetadata);
  const completion: ChatCompletion = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices,
  };
  if (usage !== undefined) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}
