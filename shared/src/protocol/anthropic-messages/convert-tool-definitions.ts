import type { ChatTool, ChatToolChoice } from '../../core/chat-types.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import { invalidField, onlyAnthropic, readString } from './read-messages-fields.ts';

/**
 * Client tools as OpenAI function tools. Anthropic's server tools (web search, code
 * execution, bash, ...) carry a versioned `type` and run inside Anthropic, so no other
 * provider can serve them. `cache_control` is an Anthropic cache hint and is dropped.
 */
export function convertTools(tools: JsonValue | undefined): ChatTool[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidField('tools', 'an array of tools');
  const converted = tools.map((tool, index): ChatTool => {
    const at = `tools[${index}]`;
    // Client tools need no `type`, so tools are objects, not typed content blocks.
    if (!isJsonObject(tool)) throw invalidField(at, 'an object');
    if (tool.type !== undefined && tool.type !== 'custom') throw onlyAnthropic(`${at}.type`, `The server tool "${String(tool.type)}"`);
    const parameters = tool.input_schema;
    if (!isJsonObject(parameters)) throw invalidField(`${at}.input_schema`, 'a JSON Schema object');
    const definition: ChatTool['function'] = { name: readString(tool, 'name', at) };
    if (typeof tool.description === 'string') definition.description = tool.description;
    definition.parameters = parameters;
    return { type: 'function', function: definition };
  });
  return converted.length === 0 ? undefined : converted;
}

export interface ConvertedToolChoice {
  toolChoice: ChatToolChoice;
  /** `disable_parallel_tool_use: true` becomes `parallel_tool_calls: false`. */
  parallelToolCalls: false | undefined;
}

/** `tool_choice` auto / any / tool / none as OpenAI's auto / required / named function / none. */
export function convertToolChoice(choice: JsonValue | undefined): ConvertedToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (!isJsonObject(choice)) throw invalidField('tool_choice', 'an object');
  const parallelToolCalls = choice.disable_parallel_tool_use === true ? false : undefined;
  switch (choice.type) {
    case 'auto':
      return { toolChoice: 'auto', parallelToolCalls };
    case 'any':
      return { toolChoice: 'required', parallelToolCalls };
    case 'tool':
      return { toolChoice: { type: 'function', function: { name: readString(choice, 'name', 'tool_choice') } }, parallelToolCalls };
    case 'none':
      return { toolChoice: 'none', parallelToolCalls: undefined };
    default:
      throw invalidField('tool_choice.type', '"auto", "any", "tool" or "none"');
  }
}
