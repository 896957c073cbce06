import type { ChatCompletionChunk } from '../../core/chat-types.ts';
import type { JsonObject } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import type { ChatStreamPart, ChatStreamTransformer } from '../../protocol/chat-chunk-stream.ts';
import type { SseEvent } from '../../protocol/sse-event-source.ts';
import type { GeminiCandidate, GeminiFunctionCall, GeminiGenerateContentResponse } from './gemini-api-types.ts';
import { applyPartialArgument } from './gemini-partial-arguments.ts';
import { geminiToolCallId, thoughtSignatureExtra } from './gemini-tool-calls.ts';
import { answerIdentity, type GeminiAnswerIdentity } from './map-gemini-response.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { toOpenAIUsage, usageFromGemini } from './map-gemini-usage.ts';
import { geminiStreamError } from './read-gemini-error.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'];
type ToolCallDelta = NonNullable<Delta['tool_calls']>[number];

interface CandidateState {
  roleSent: boolean;
  toolCalls: number;
  /** A function call whose arguments are still arriving in pieces. */
  open: { index: number; args: JsonObject } | undefined;
  finished: boolean;
}

export interface GeminiStreamContext {
  /** The model the caller asked for, used when Gemini names no modelVersion. */
  model: string;
  created: number;
  randomKey: () => string;
}

/**
 * Each SSE event of streamGenerateContent?alt=sse is a whole GenerateContentResponse holding
 * the new parts. Text and thoughts become content and reasoning_content deltas; a function
 * call comes whole (one tool_call delta) or, with streamed arguments, as a name then
 * jsonPath pieces closed by an empty `functionCall: {}` (the arguments go out when it closes).
 * A candidate's finishReason is the stream's end marker. Usage counts are cumulative on every
 * event, so the last ones are sent once, after the finish, when the stream ends.
 */
export function createGeminiStreamTransformer(context: GeminiStreamContext): ChatStreamTransformer<SseEvent> {
  let identity: GeminiAnswerIdentity | undefined;
  const candidates = new Map<number, CandidateState>();
  let usage: Usage | undefined;
  let finished = false;

  const chunk = (choices: ChatCompletionChunk['choices'], self: GeminiAnswerIdentity): ChatCompletionChunk => ({
    id: self.id,
    object: 'chat.completion.chunk',
    created: self.created,
    model: self.model,
    choices,
  });

  const stateOf = (index: number): CandidateState => {
    let state = candidates.get(index);
    if (state === undefined) {
      state = { roleSent: false, toolCalls: 0, open: undefined, finished: false };
      candidates.set(index, state);
    }
    return state;
  };

  /** One delta for one candidate; the first carries the assistant role. */
  const deltaChunk = (self: GeminiAnswerIdentity, index: number, delta: Delta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatStreamPart => {
    const state = stateOf(index);
    const withRole: Delta = state.roleSent ? delta : { role: 'assistant', ...delta };
    state.roleSent = true;
    return { type: 'chunk', chunk: chunk([{ index, delta: withRole, logprobs: null, finish_reason: finishReason }], self) };
  };

  const toolCallChunk = (self: GeminiAnswerIdentity, index: number, call: ToolCallDelta): ChatStreamPart =>
    deltaChunk(self, index, { tool_calls: [call] });

  const closeOpenCall = (self: GeminiAnswerIdentity, index: number, parts: ChatStreamPart[]): void => {
    const state = stateOf(index);
    if (state.open === undefined) return;
    parts.push(toolCallChunk(self, index, { index: state.open.index, function: { arguments: JSON.stringify(state.open.args) } }));
    state.open = undefined;
  };

  const functionCall = (self: GeminiAnswerIdentity, index: number, call: GeminiFunctionCall, signature: string | undefined, parts: ChatStreamPart[]): void => {
    const state = stateOf(index);
    if (typeof call.name === 'string') {
      closeOpenCall(self, index, parts);
      const callIndex = state.toolCalls++;
      const id = geminiToolCallId(self.toolCallKey, index, callIndex, call.id);
      const streamed = call.willContinue === true;
      const args = streamed ? '' : JSON.stringify(call.args ?? {});
      parts.push(toolCallChunk(self, index, { index: callIndex, id, type: 'function', function: { name: call.name, arguments: args }, ...thoughtSignatureExtra(signature) }));
      if (streamed) state.open = { index: callIndex, args: call.args ?? {} };
      return;
    }
    if (state.open === undefined) return;
    for (const piece of call.partialArgs ?? []) applyPartialArgument(state.open.args, piece);
    // `functionCall: {}` or a last piece without willContinue ends the call.
    if (call.willContinue !== true) closeOpenCall(self, index, parts);
  };

  const candidateParts = (self: GeminiAnswerIdentity, candidate: GeminiCandidate, position: number, parts: ChatStreamPart[]): void => {
    const index = typeof candidate.index === 'number' ? candidate.index : position;
    for (const part of candidate.content?.parts ?? []) {
      if (typeof part.text === 'string' && part.text !== '') {
        parts.push(deltaChunk(self, index, part.thought === true ? { reasoning_content: part.text } : { content: part.text }));
      }
      if (part.functionCall !== undefined) functionCall(self, index, part.functionCall, part.thoughtSignature, parts);
    }
    if (candidate.finishReason === undefined) return;
    const state = stateOf(index);
    closeOpenCall(self, index, parts);
    if (state.finished) return;
    state.finished = true;
    finished = true;
    const reason = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0);
    parts.push(deltaChunk(self, index, {}, reason.unified));
  };

  return {
    transform(event) {
      const response = JSON.parse(event.data) as GeminiGenerateContentResponse;
      if (response.error !== undefined) return [{ type: 'error', error: geminiStreamError(response.error) }];
      identity ??= answerIdentity(response, context);
      const self = identity;
      const parts: ChatStreamPart[] = [];
      const list = response.candidates ?? [];
      list.forEach((candidate, position) => candidateParts(self, candidate, position, parts));
      if (list.length === 0 && response.promptFeedback?.blockReason !== undefined && !finished) {
        // The prompt itself was refused: an empty answer finished by the content filter.
        finished = true;
        parts.push(deltaChunk(self, 0, { content: '' }, 'content_filter'));
      }
      usage = usageFromGemini(response.usageMetadata) ?? usage;
      return parts;
    },
    flush() {
      if (!finished || identity === undefined) return [];
      const parts: ChatStreamPart[] = [];
      if (usage !== undefined) parts.push({ type: 'usage', usage, chunk: { ...chunk([], identity), usage: toOpenAIUsage(usage) } });
      parts.push({ type: 'finish' });
      return parts;
    },
  };
}
