import type { ChatCompletion, ChatToolCall, FinishReason } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { ConverseResponse } from './bedrock-api-types.ts';
import { JSON_RESPONSE_TOOL_NAME } from './convert-to-bedrock-tools.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

/** What the answer is labelled with: Converse answers carry no id, time or model name. */
export interface BedrockAnswerContext {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  jsonMode: boolean;
}

/**
 * Map a Converse answer to an OpenAI chat completion: text blocks joined into `content`,
 * reasoning into `reasoning_content`, toolUse blocks into `tool_calls`. In JSON mode the
 * `json` tool's input is the content, and text the model wrote before it is dropped (it
 * would make the content unparseable).
 */
export function mapBedrockResponse(
  response: ConverseResponse,
  context: BedrockAnswerContext,
): { completion: ChatCompletion; usage: Usage | undefined; finishReason: FinishReason } {
  const blocks = response.output?.message?.content ?? [];
  let text = '';
  let reasoning = '';
  let jsonAnswer: string | undefined;
  const toolCalls: ChatToolCall[] = [];
  for (const block of blocks) {
    if (typeof block.text === 'string') {
      text += block.text;
    } else if (block.reasoningContent !== undefined) {
      reasoning += block.reasoningContent.reasoningText?.text ?? '';
    } else if (block.toolUse !== undefined) {
      const { toolUseId = '', name = '', input } = block.toolUse;
      const argumentsJson = JSON.stringify(input ?? {});
      if (context.jsonMode && name === JSON_RESPONSE_TOOL_NAME) jsonAnswer = argumentsJson;
      else toolCalls.push({ id: toolUseId, type: 'function', function: { name, arguments: argumentsJson } });
    }
  }
  const content = jsonAnswer ?? (text === '' && toolCalls.length > 0 ? null : text);
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content };
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  message.refusal = null;
  const finish = mapBedrockFinishReason(response.stopReason, {
    answeredWithJsonTool: jsonAnswer !== undefined,
    calledCallerTools: toolCalls.length > 0,
  });
  const usage = mapBedrockUsage(response.usage);
  const completion: ChatCompletion = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish.unified }],
  };
  if (usage !== undefined) completion.usage = usage.openai;
  return { completion, usage: usage?.usage, finishReason: finish };
}
