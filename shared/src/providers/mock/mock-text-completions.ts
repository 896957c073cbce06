import type { JsonObject, JsonValue } from '../../core/json.ts';
import { jsonAnswer, type MockAnswer } from './mock-answer.ts';
import { replyToText } from './mock-chat-reply.ts';
import {
  integerField,
  maxTokensOf,
  MockInvalidRequest,
  modelOf,
  wantsStreamUsage,
  type MockEndpointContext,
} from './mock-request-fields.ts';
import type { MockSseEvent } from './mock-sse-stream.ts';
import { countWords, estimatePromptTokens, limitWords, splitForStream } from './mock-text-pieces.ts';

/** The prompts of a legacy completion: a string, strings, or token arrays (described, not decoded). */
function readPrompts(prompt: JsonValue | undefined): string[] {
  if (typeof prompt === 'string') return [prompt];
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every((item) => typeof item === 'number')) return [`${prompt.length} tokens`];
    if (prompt.every((item) => typeof item === 'string')) return prompt;
    if (prompt.every((item) => Array.isArray(item))) return prompt.map((tokens) => `${tokens.length} tokens`);
  }
  throw new MockInvalidRequest("'prompt' must be a string, an array of strings, or token arrays.", 'prompt');
}

interface TextChoice {
  index: number;
  text: string;
  finishReason: 'stop' | 'length';
}

/**
 * POST /completions (the legacy API): one choice per prompt and `n`, each quoting its
 * prompt, whole or streamed as `text_completion` chunks.
 */
export function answerTextCompletion(body: JsonObject, context: MockEndpointContext): MockAnswer {
  const prompts = readPrompts(body.prompt);
  const count = integerField(body, 'n', { min: 1, max: 128, fallback: 1 });
  const maxTokens = maxTokensOf(body);
  const choices: TextChoice[] = [];
  prompts.forEach((prompt, promptIndex) => {
    for (let copy = 0; copy < count; copy += 1) {
      let text = context.options.reply ?? replyToText({ text: prompt, attachments: {} });
      if (context.options.reply === undefined && copy > 0) text += ` (choice ${copy + 1})`;
      const limited = limitWords(text, maxTokens);
      const finishReason = limited.truncated ? 'length' : 'stop';
      choices.push({ index: promptIndex * count + copy, text: limited.text, finishReason });
    }
  });
  const promptTokens = estimatePromptTokens(prompts.reduce((sum, prompt) => sum + prompt.length, 0));
  const completionTokens = choices.reduce((sum, choice) => sum + countWords(choice.text), 0);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const head: JsonObject = {
    id: `cmpl-mock-${context.requestHash}`,
    object: 'text_completion',
    created: context.createdSeconds,
    model: modelOf(body, 'mock-model'),
    system_fingerprint: 'fp_mock',
  };

  if (body.stream !== true) {
    return jsonAnswer({
      ...head,
      choices: choices.map((choice) => ({
        index: choice.index,
        text: choice.text,
        logprobs: null,
        finish_reason: choice.finishReason,
      })),
      usage,
    });
  }

  const includeUsage = wantsStreamUsage(body);
  const usageField: JsonObject = includeUsage ? { usage: null } : {};
  const event = (choice: JsonObject, isContent: boolean): MockSseEvent => ({
    data: JSON.stringify({ ...head, choices: [choice], ...usageField }),
    isContent,
  });
  const events: MockSseEvent[] = [];
  for (const choice of choices) {
    for (const piece of splitForStream(choice.text, context.options.chunks)) {
      events.push(event({ index: choice.index, text: piece, logprobs: null, finish_reason: null }, true));
    }
    events.push(event({ index: choice.index, text: '', logprobs: null, finish_reason: choice.finishReason }, false));
  }
  if (includeUsage) events.push({ data: JSON.stringify({ ...head, choices: [], usage }), isContent: false });
  return { kind: 'sse', events };
}
