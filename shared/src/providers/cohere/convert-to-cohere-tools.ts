import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { CohereChatRequest, CohereTool } from './cohere-api-types.ts';

export type CohereToolFields = Pick<CohereChatRequest, 'tools' | 'tool_choice' | 'strict_tools'>;

function convertTool(tool: JsonValue, index: number): { tool: CohereTool; strict: boolean } {
  const param = `tools[${index}]`;
  if (!isJsonObject(tool) || tool.type !== 'function') {
    throw new BadRequestError('cohere supports only tools of type "function".', 'unsupported_tool', param);
  }
  const fn = tool.function;
  if (!isJsonObject(fn) || typeof fn.name !== 'string') {
    throw new BadRequestError('A tool needs a `function.name`.', 'invalid_request', `${param}.function.name`);
  }
  const converted: CohereTool['function'] = { name: fn.name };
  if (typeof fn.description === 'string') converted.description = fn.description;
  if (isJsonObject(fn.parameters)) converted.parameters = fn.parameters;
  return { tool: { type: 'function', function: converted }, strict: fn.strict === true };
}

/**
 * OpenAI tools and tool_choice in Cohere v2 terms. Cohere's tools already have OpenAI's shape;
 * its tool_choice knows only REQUIRED and NONE (absent = auto), so naming one function
 * becomes "required" over a tool list holding just that function. OpenAI's per-tool
 * `strict` becomes Cohere's request-wide `strict_tools`.
 */
export function convertToCohereTools(tools: JsonValue | undefined, toolChoice: JsonValue | undefined): CohereToolFields {
  if (tools === undefined || tools === null) return {};
  if (!Array.isArray(tools)) throw new BadRequestError('`tools` must be an array.', 'invalid_request', 'tools');
  const converted = tools.map(convertTool);
  let chosen = converted.map((entry) => entry.tool);
  const fields: CohereToolFields = {};
  if (toolChoice === 'none') fields.tool_choice = 'NONE';
  else if (toolChoice === 'required') fields.tool_choice = 'REQUIRED';
  else if (isJsonObject(toolChoice)) {
    const name = isJsonObject(toolChoice.function) ? toolChoice.function.name : undefined;
    chosen = chosen.filter((tool) => tool.function.name === name);
    if (chosen.length === 0) {
      throw new BadRequestError('`tool_choice` names a function that is not in `tools`.', 'invalid_request', 'tool_choice');
    }
    fields.tool_choice = 'REQUIRED';
  }
  if (chosen.length > 0) fields.tools = chosen;
  if (converted.some((entry) => entry.strict)) fields.strict_tools = true;
  return fields;
}
