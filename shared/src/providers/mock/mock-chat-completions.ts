import type { JsonObject, JsonValue } from '../../core/json.ts';
import { jsonAnswer, type MockAnswer } from './mock-answer.ts';
import { countPromptCharacters, planChatChoice } from './mock-chat-reply.ts';
import { chatLogprobs } from './mock-logprobs.ts';
import {
  integerField,
  maxTokensOf,
  MockInvalidRequest,
  modelOf,
  wantsStreamUsage,
  type MockEndpointContext,
} from './mock-request-fields.ts';
import type { MockSseEvent } from './mock-sse-stream.ts';
import { countWords, estimatePromptTokens, limitWords, splitForStream, splitIntoWords } from './mock-text-pieces.ts';

/** One choice, decided: its text or tool call and why it stopped. */
type DecidedChoice =
  | { kind: 'text'; text: string; finishReason: 'stop' | 'length' }
  | { kind: 'tool-call'; id: string; name: string; arguments: string; finishReason: 'tool_calls' };

/** One chunk's worth of one choice. */
interface ChoiceDelta {
  choice: JsonObject;
  isContent: boolean;
}

function decideChoices(body: JsonObject, context: MockEndpointContext): DecidedChoice[] {
  const count = integerField(body, 'n', { min: 1, max: 128, fallback: 1 });
  const maxTokens = maxTokensOf(body);
  const choices: DecidedChoice[] = [];
  for (let index = 0; index < count; index += 1) {
    const content = planChatChoice(body, index, context.options.reply);
    if (content.kind === 'tool-call') {
      const id = `call_mock_${context.requestHash.slice(0, 12)}_${index}`;
      choices.push({ ...content, id, finishReason: 'tool_calls' });
    } else {
      const limited = limitWords(content.text, maxTokens);
      choices.push({ kind: 'text', text: limited.text, finishReason: limited.truncated ? 'length' : 'stop' });
    }
  }
  return choices;
}

function completionWords(choice: DecidedChoice): number {
  return countWords(choice.kind === 'text' ? choice.text : choice.arguments);
}

function usageOf(messages: readonly JsonValue[], choices: readonly DecidedChoice[]): JsonObject {
  const promptTokens = estimatePromptTokens(countPromptCharacters(messages));
  const completionTokens = choices.reduce((sum, choice) => sum + completionWords(choice), 0);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function logprobSettings(body: JsonObject): number | undefined {
  if (body.logprobs !== true) return undefined;
  return integerField(body, 'top_logprobs', { min: 0, max: 20, fallback: 0 });
}

function completeMessage(choice: DecidedChoice): JsonObject {
  if (choice.kind === 'text') return { role: 'assistant', content: choice.text, refusal: null };
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    tool_calls: [{ id: choice.id, type: 'function', function: { name: choice.name, arguments: choice.arguments } }],
  };
}

/** The deltas of one choice: the opening delta, the content pieces, the closing one. */
function choiceDeltas(
  choice: DecidedChoice,
  index: number,
  chunks: number | undefined,
  topLogprobs: number | undefined,
): ChoiceDelta[] {
  const opening: JsonObject =
    choice.kind === 'text'
      ? { role: 'assistant', content: '', refusal: null }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: choice.id, type: 'function', function: { name: choice.name, arguments: '' } }],
        };
  const deltas: ChoiceDelta[] = [
    { choice: { index, delta: opening, logprobs: null, finish_reason: null }, isContent: false },
  ];
  const pieces = splitForStream(choice.kind === 'text' ? choice.text : choice.arguments, chunks);
  for (const piece of pieces) {
    const delta: JsonObject =
      choice.kind === 'text' ? { content: piece } : { tool_calls: [{ index: 0, function: { arguments: piece } }] };
    const logprobs = choice.kind === 'text' && topLogprobs !== undefined ? chatLogprobs([piece], topLogprobs) : null;
    deltas.push({ choice: { index, delta, logprobs, finish_reason: null }, isContent: true });
  }
  deltas.push({ choice: { index, delta: {}, logprobs: null, finish_reason: choice.finishReason }, isContent: false });
  return deltas;
}

/** Round-robin over the choices, as OpenAI interleaves the chunks of `n` choices. */
function interleave(lists: readonly ChoiceDelta[][]): ChoiceDelta[] {
  const result: ChoiceDelta[] = [];
  const longest = Math.max(...lists.map((list) => list.length));
  for (let step = 0; step < longest; step += 1) {
    for (const list of lists) {
      const delta = list[step];
      if (delta !== undefined) result.push(delta);
    }
  }
  return result;
}

/**
 * POST /chat/completions: a deterministic chat answer (text, tool call or JSON), whole or as
 * an SSE stream of chunks with the usage chunk when `stream_options.include_usage` is set.
 */
export function answerChatCompletion(body: JsonObject, context: MockEndpointContext): MockAnswer {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new MockInvalidRequest("'messages' must be a non-empty array.", 'messages', 'missing_required_parameter');
  }
  const choices = decideChoices(body, context);
  const topLogprobs = logprobSettings(body);
  const usage = usageOf(messages, choices);
  const head: JsonObject = {
    id: `chatcmpl-mock-${context.requestHash}`,
    object: body.stream === true ? 'chat.completion.chunk' : 'chat.completion',
    created: context.createdSeconds,
    model: modelOf(body, 'mock-model'),
    system_fingerprint: 'fp_mock',
  };

  if (body.stream !== true) {
    return jsonAnswer({
      ...head,
      choices: choices.map((choice, index) => ({
        index,
        message: completeMessage(choice),
        logprobs:
          choice.kind === 'text' && topLogprobs !== undefined ? chatLogprobs(splitIntoWords(choice.text), topLogprobs) : null,
        finish_reason: choice.finishReason,
      })),
      usage,
    });
  }

  const includeUsage = wantsStreamUsage(body);
  // With include_usage, OpenAI sends `usage: null` on every chunk before the last.
  const usageField: JsonObject = includeUsage ? { usage: null } : {};
  const deltas = interleave(
    choices.map((choice, index) => choiceDeltas(choice, index, context.options.chunks, topLogprobs)),
  );
  const events: MockSseEvent[] = deltas.map((delta) => ({
    data: JSON.stringify({ ...head, choices: [delta.choice], ...usageField }),
    isContent: delta.isContent,
  }));
  if (includeUsage) events.push({ data: JSON.stringify({ ...head, choices: [], usage }), isContent: false });
  return { kind: 'sse', events };
}
