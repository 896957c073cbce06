import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-api-types.ts';

/** The tool the gateway adds for JSON mode; its input is the caller's JSON answer. */
export const JSON_TOOL_NAME = 'json';

const JSON_TOOL_DESCRIPTION = 'Respond with a JSON object.';

export interface ToolPlan {
  tools?: AnthropicTool[];
  toolChoice?: AnthropicToolChoice;
  /** Set when JSON mode is on: a call to this tool is the answer, not a tool call. */
  jsonToolName?: string;
}

export interface ToolFields {
  tools: JsonValue | undefined;
  toolChoice: JsonValue | undefined;
  parallelToolCalls: JsonValue | undefined;
  responseFormat: JsonValue | undefined;
  /** Claude refuses forced tool choices (`any`, `tool`) while extended thinking is on. */
  thinkingEnabled: boolean;
}

const EMPTY_SCHEMA: JsonObject = { type: 'object', properties: {} };

function convertTool(tool: JsonValue, param: string, warnings: Set<string>): AnthropicTool | undefined {
  if (!isJsonObject(tool)) throw new BadRequestError('A tool must be an object.', 'invalid_tool', param);
  if (tool.type !== 'function') {
    warnings.add(`tools.${String(tool.type)}`);
    return undefined;
  }
  const fn = tool.function;
  if (!isJsonObject(fn) || typeof fn.name !== 'string') {
    throw new BadRequestError('A function tool needs `function.name`.', 'invalid_tool', `${param}.function.name`);
  }
  // OpenAI's `strict` has no exact Anthropic twin on every model; the schema still guides Claude.
  if (fn.strict !== undefined) warnings.add('tools.function.strict');
  const converted: AnthropicTool = { name: fn.name, input_schema: isJsonObject(fn.parameters) ? fn.parameters : EMPTY_SCHEMA };
  if (typeof fn.description === 'string') converted.description = fn.description;
  return converted;
}

/** The caller's tool_choice in Anthropic's terms, or undefined for Anthropic's default. */
function convertToolChoice(choice: JsonValue | undefined): AnthropicToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  if (isJsonObject(choice) && isJsonObject(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name };
  }
  throw new BadRequestError('`tool_choice` must be auto, none, required or a named function.', 'invalid_tool_choice', 'tool_choice');
}

/**
 * The JSON-mode tool. JSON mode uses a tool whose input schema is the caller's schema rather
 * than Anthropic's `output_config.format`: tool use works on every Claude model the gateway
 * may reach, structured outputs only on recent ones, and `json_object` (no schema) has no
 * structured-output form at all.
 */
function jsonTool(responseFormat: JsonValue | undefined, name: string): AnthropicTool | undefined {
  if (!isJsonObject(responseFormat)) return undefined;
  if (responseFormat.type === 'json_object') return { name, description: JSON_TOOL_DESCRIPTION, input_schema: { type: 'object' } };
  if (responseFormat.type !== 'json_schema') return undefined;
  const spec = isJsonObject(responseFormat.json_schema) ? responseFormat.json_schema : {};
  return {
    name,
    description: typeof spec.description === 'string' ? spec.description : JSON_TOOL_DESCRIPTION,
    input_schema: isJsonObject(spec.schema) ? spec.schema : { type: 'object' },
  };
}

function freeName(taken: ReadonlySet<string>): string {
  let name = JSON_TOOL_NAME;
  while (taken.has(name)) name = `${name}_response`;
  return name;
}

function withParallelFlag(choice: AnthropicToolChoice, disableParallel: boolean): AnthropicToolChoice {
  return disableParallel && choice.type !== 'none' ? { ...choice, disable_parallel_tool_use: true } : choice;
}

/**
 * Tools, tool_choice, parallel_tool_calls and response_format in Anthropic's terms
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use).
 */
export function convertAnthropicTools(fields: ToolFields, warnings: Set<string>): ToolPlan {
  if (fields.tools !== undefined && fields.tools !== null && !Array.isArray(fields.tools)) {
    throw new BadRequestError('`tools` must be an array.', 'invalid_tool', 'tools');
  }
  const tools: AnthropicTool[] = [];
  (fields.tools ?? []).forEach((tool, index) => {
    const converted = convertTool(tool, `tools[${index}]`, warnings);
    if (converted !== undefined) tools.push(converted);
  });
  const callerChoice = convertToolChoice(fields.toolChoice);
  const disableParallel = fields.parallelToolCalls === false;
  const json = jsonTool(fields.responseFormat, freeName(new Set(tools.map((tool) => tool.name))));

  if (json === undefined) {
    if (tools.length === 0) return {};
    const choice = callerChoice ?? (disableParallel ? { type: 'auto' } : undefined);
    return choice === undefined ? { tools } : { tools, toolChoice: withParallelFlag(choice, disableParallel) };
  }

  let toolChoice: AnthropicToolChoice;
  if (fields.thinkingEnabled) {
    // Forced choices are refused with thinking on; Claude is left to pick the JSON tool.
    toolChoice = withParallelFlag({ type: 'auto' }, disableParallel);
  } else if (tools.length === 0 || callerChoice?.type === 'none') {
    // Exactly one JSON answer: force the tool and forbid a second, parallel call of it.
    toolChoice = { type: 'tool', name: json.name, disable_parallel_tool_use: true };
  } else if (callerChoice === undefined || callerChoice.type === 'auto') {
    // The answer is either a call of the caller's tools or the JSON: some tool must be called.
    toolChoice = withParallelFlag({ type: 'any' }, disableParallel);
  } else {
    toolChoice = withParallelFlag(callerChoice, disableParallel);
  }
  // With tool_choice none the caller's tools must not be called: only the JSON tool is offered.
  const offered = callerChoice?.type === 'none' ? [json] : [...tools, json];
  return { tools: offered, toolChoice, jsonToolName: json.name };
}
