import type { ChatCompletionChunk } from '../../core/chat-types.ts';
import type { ChatStreamPart, ChatStreamTransformer } from '../../protocol/chat-chunk-stream.ts';
import type { ConverseStreamOutput } from './bedrock-api-types.ts';
import { bedrockStreamExceptionError, STREAM_EXCEPTION_MEMBERS } from './bedrock-errors.ts';
import { JSON_RESPONSE_TOOL_NAME } from './convert-to-bedrock-tools.ts';
import type { BedrockAnswerContext } from './map-bedrock-response.ts';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

/** A content block that is a tool call: the caller's tool (by OpenAI index) or the json answer. */
type ToolBlock = { kind: 'tool'; toolIndex: number; argumentsSent: boolean } | { kind: 'json'; argumentsSent: boolean };

/**
 * Turn ConverseStream events into OpenAI chunks, one chunk per event, as they arrive.
 * messageStop carries the stop reason and is Bedrock's end marker; the metadata event with
 * the token counts comes after it and becomes the usage chunk.
 *
 * JSON mode: the `json` tool's input deltas are the content. Text the model writes before
 * it is held back (and dropped once the json tool starts) so that the reassembled content is
 * exactly the non-streamed content; if no json tool comes, the held text is sent at the end.
 */
export function createBedrockStreamTransformer(context: BedrockAnswerContext): ChatStreamTransformer<ConverseStreamOutput> {
  const blocks = new Map<number, ToolBlock>();
  let nextToolIndex = 0;
  let roleSent = false;
  let heldText = '';
  let jsonToolSeen = false;

  const chunk = (delta: Delta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatStreamPart => {
    const withRole: Delta = roleSent ? delta : { role: 'assistant', ...delta };
    roleSent = true;
    return {
      type: 'chunk',
      chunk: {
        id: context.id,
        object: 'chat.completion.chunk',
        created: context.created,
        model: context.model,
        choices: [{ index: 0, delta: withRole, logprobs: null, finish_reason: finishReason }],
      },
    };
  };

  const toolArguments = (block: ToolBlock, text: string): ChatStreamPart => {
    block.argumentsSent = true;
    return block.kind === 'json'
      ? chunk({ content: text })
      : chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: text } }] });
  };

  function transform(event: ConverseStreamOutput): ChatStreamPart[] {
    if (event.messageStart !== undefined) {
      return [chunk({ role: 'assistant', content: '' })];
    }
    if (event.contentBlockStart !== undefined) {
      const toolUse = event.contentBlockStart.start?.toolUse;
      const index = event.contentBlockStart.contentBlockIndex ?? 0;
      if (toolUse === undefined) return [];
      if (context.jsonMode && toolUse.name === JSON_RESPONSE_TOOL_NAME) {
        blocks.set(index, { kind: 'json', argumentsSent: false });
        jsonToolSeen = true;
        heldText = '';
        return [];
      }
      const toolIndex = nextToolIndex++;
      blocks.set(index, { kind: 'tool', toolIndex, argumentsSent: false });
      return [
        chunk({ tool_calls: [{ index: toolIndex, id: toolUse.toolUseId ?? '', type: 'function', function: { name: toolUse.name ?? '', arguments: '' } }] }),
      ];
    }
    if (event.contentBlockDelta !== undefined) {
      const delta = event.contentBlockDelta.delta;
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      if (delta === undefined) return [];
      if (typeof delta.text === 'string') {
        if (delta.text === '') return [];
        if (context.jsonMode) {
          if (!jsonToolSeen) heldText += delta.text;
          return [];
        }
        return [chunk({ content: delta.text })];
      }
      if (delta.reasoningContent !== undefined) {
        // Signatures and redacted reasoning have no place in the OpenAI format.
        const text = delta.reasoningContent.text;
        return typeof text === 'string' && text !== '' ? [chunk({ reasoning_content: text })] : [];
      }
      if (delta.toolUse !== undefined) {
        const block = blocks.get(index);
        const input = delta.toolUse.input ?? '';
        return block === undefined || input === '' ? [] : [toolArguments(block, input)];
      }
      return [];
    }
    if (event.contentBlockStop !== undefined) {
      const block = blocks.get(event.contentBlockStop.contentBlockIndex ?? 0);
      // A tool called without arguments streams none; callers JSON.parse what they get.
      return block === undefined || block.argumentsSent ? [] : [toolArguments(block, '{}')];
    }
    if (event.messageStop !== undefined) {
      const parts: ChatStreamPart[] = [];
      if (heldText !== '') parts.push(chunk({ content: heldText }));
      heldText = '';
      const finish = mapBedrockFinishReason(event.messageStop.stopReason, {
        answeredWithJsonTool: jsonToolSeen,
        calledCallerTools: nextToolIndex > 0,
      });
      parts.push(chunk({}, finish.unified), { type: 'finish' });
      return parts;
    }
    if (event.metadata !== undefined) {
      const usage = mapBedrockUsage(event.metadata.usage);
      if (usage === undefined) return [];
      return [
        {
          type: 'usage',
          usage: usage.usage,
          chunk: { id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, choices: [], usage: usage.openai },
        },
      ];
    }
    for (const member of STREAM_EXCEPTION_MEMBERS) {
      const exception = event[member];
      if (exception !== undefined) return [{ type: 'error', error: bedrockStreamExceptionError(member, exception.message) }];
    }
    // Event types added after this SDK version arrive as $unknown: ignored, not fatal.
    return [];
  }

  return { transform };
}
