import type { ChatContentPart } from '../../core/chat-types.ts';
import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropic-api-types.ts';
import { convertContent } from './convert-anthropic-content.ts';

export interface AnthropicConversation {
  /** Every system and developer message, in order, as system text blocks. */
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** One Anthropic turn being built; tool results are kept apart because they must lead. */
interface Turn {
  role: 'user' | 'assistant';
  toolResults: AnthropicToolResultBlock[];
  blocks: AnthropicContentBlock[];
}

type ChatContent = string | ChatContentPart[] | null | undefined;

function contentOf(message: JsonObject): ChatContent {
  return message.content as ChatContent;
}

function parseToolArguments(raw: JsonValue | undefined, param: string): JsonObject {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw new BadRequestError('Tool call arguments must be a JSON string.', 'invalid_tool_call', param);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequestError('Tool call arguments are not valid JSON.', 'invalid_tool_call', param);
  }
  if (!isJsonObject(parsed)) throw new BadRequestError('Tool call arguments must be a JSON object.', 'invalid_tool_call', param);
  return parsed;
}

function toolUseBlocks(toolCalls: JsonValue | undefined, param: string): AnthropicToolUseBlock[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw new BadRequestError('`tool_calls` must be an array.', 'invalid_tool_call', param);
  return toolCalls.map((call, index) => {
    const at = `${param}[${index}]`;
    const fn = isJsonObject(call) ? call.function : undefined;
    if (!isJsonObject(call) || typeof call.id !== 'string' || !isJsonObject(fn) || typeof fn.name !== 'string') {
      throw new BadRequestError('A tool call needs an `id` and a `function.name`.', 'invalid_tool_call', at);
    }
    return { type: 'tool_use', id: call.id, name: fn.name, input: parseToolArguments(fn.arguments, `${at}.function.arguments`) };
  });
}

function systemBlocks(message: JsonObject, param: string, warnings: Set<string>): AnthropicTextBlock[] {
  const blocks: AnthropicTextBlock[] = [];
  for (const block of convertContent(contentOf(message), param, warnings)) {
    if (block.type === 'text') blocks.push(block);
    else warnings.add(`system ${block.type}`);
  }
  return blocks;
}

function assistantBlocks(message: JsonObject, param: string, warnings: Set<string>): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const content = contentOf(message);
  // Assistant refusal parts are text the model said; keep them as text.
  const parts = Array.isArray(content)
    ? content.map((part) => (isJsonObject(part) && part.type === 'refusal' ? { type: 'text' as const, text: String(part.refusal ?? '') } : part))
    : content;
  for (const block of convertContent(parts, `${param}.content`, warnings)) {
    if (block.type === 'text') blocks.push(block);
    else warnings.add(`assistant ${block.type}`);
  }
  // reasoning_content is not sent back: Claude accepts earlier thinking only with the
  // signature it was issued with, which the OpenAI form has no place for.
  blocks.push(...toolUseBlocks(message.tool_calls, `${param}.tool_calls`));
  return blocks;
}

function toolResultBlock(message: JsonObject, param: string, warnings: Set<string>): AnthropicToolResultBlock {
  if (typeof message.tool_call_id !== 'string') {
    throw new BadRequestError('A tool message needs a `tool_call_id`.', 'invalid_message', `${param}.tool_call_id`);
  }
  const content = contentOf(message);
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id,
    content: typeof content === 'string' ? content : convertContent(content, `${param}.content`, warnings),
  };
}

/** A one-text-block turn is sent as a plain string, the form Anthropic's own examples use. */
function finishTurn(turn: Turn): AnthropicMessage {
  const content = [...turn.toolResults, ...turn.blocks];
  const only = content[0];
  if (content.length === 1 && only?.type === 'text' && only.cache_control === undefined) {
    return { role: turn.role, content: only.text };
  }
  return { role: turn.role, content };
}

/**
 * Turn OpenAI chat messages into Anthropic's system + alternating turns: system and
 * developer messages move to `system` (Anthropic has no system role in `messages`), tool
 * messages become `tool_result` blocks of a user turn, and consecutive messages of one
 * role merge into one turn, tool results first as Anthropic requires
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use).
 */
export function convertToAnthropicMessages(input: unknown, warnings: Set<string>): AnthropicConversation {
  if (!Array.isArray(input)) throw new BadRequestError('`messages` must be an array.', 'invalid_messages', 'messages');
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];

  const append = (role: Turn['role'], blocks: AnthropicContentBlock[], toolResults: AnthropicToolResultBlock[] = []): void => {
    if (blocks.length === 0 && toolResults.length === 0) return;
    const last = turns.at(-1);
    if (last !== undefined && last.role === role) {
      last.blocks.push(...blocks);
      last.toolResults.push(...toolResults);
    } else {
      turns.push({ role, blocks: [...blocks], toolResults: [...toolResults] });
    }
  };

  input.forEach((message: unknown, index) => {
    const param = `messages[${index}]`;
    if (!isJsonObject(message)) throw new BadRequestError('A message must be an object.', 'invalid_message', param);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...systemBlocks(message, `${param}.content`, warnings));
        break;
      case 'user':
        append('user', convertContent(contentOf(message), `${param}.content`, warnings));
        break;
      case 'assistant':
        append('assistant', assistantBlocks(message, param, warnings));
        break;
      case 'tool':
        append('user', [], [toolResultBlock(message, param, warnings)]);
        break;
      case 'function':
        warnings.add('function messages');
        break;
      default:
        throw new BadRequestError(`Unknown message role ${JSON.stringify(message.role ?? null)}.`, 'invalid_message', `${param}.role`);
    }
  });
  return { system, messages: turns.map(finishTurn) };
}
