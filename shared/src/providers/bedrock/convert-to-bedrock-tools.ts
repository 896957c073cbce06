import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { Tool, ToolChoice, ToolConfiguration } from './bedrock-api-types.ts';

/**
 * JSON mode on Bedrock is a forced call of a tool with this name whose input schema is the
 * requested schema: it works for every model that supports tool use (the Converse
 * `outputConfig` structured output does not, yet). The tool's input is then the answer.
 */
export const JSON_RESPONSE_TOOL_NAME = 'json';

const EMPTY_OBJECT_SCHEMA: JsonObject = { type: 'object', properties: {} };

/** What `response_format` asked for: undefined for plain text, else the JSON schema to follow. */
export function readJsonResponseSchema(responseFormat: JsonValue | undefined): JsonObject | undefined {
  if (!isJsonObject(responseFormat)) return undefined;
  if (responseFormat.type === 'json_object') return { type: 'object' };
  if (responseFormat.type === 'json_schema') {
    const definition = responseFormat.json_schema;
    const schema = isJsonObject(definition) ? definition.schema : undefined;
    return isJsonObject(schema) ? schema : { type: 'object' };
  }
  return undefined;
}

function callerTools(raw: JsonValue | undefined, warnings: Set<string>): Tool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadRequestError('tools must be an array.', 'invalid_tools', 'tools');
  const tools: Tool[] = [];
  raw.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (!isJsonObject(tool)) throw new BadRequestError(`${param} must be an object.`, 'invalid_tools', param);
    if (tool.type !== 'function') {
      warnings.add(`${param}.type`);
      return;
    }
    const fn = tool.function;
    if (!isJsonObject(fn) || typeof fn.name !== 'string') {
      throw new BadRequestError(`${param}.function.name must be a string.`, 'invalid_tools', `${param}.function.name`);
    }
    // `strict` is dropped: only some Bedrock models accept it, and the others reject the call.
    if (fn.strict !== undefined && fn.strict !== null && fn.strict !== false) warnings.add('tools.function.strict');
    tools.push({
      toolSpec: {
        name: fn.name,
        ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
        inputSchema: { json: isJsonObject(fn.parameters) ? fn.parameters : EMPTY_OBJECT_SCHEMA },
      },
    });
  });
  return tools;
}

type ReadChoice = { kind: 'auto' } | { kind: 'none' } | { kind: 'required' } | { kind: 'named'; name: string };

function readToolChoice(raw: JsonValue | undefined): ReadChoice {
  if (raw === undefined || raw === null || raw === 'auto') return { kind: 'auto' };
  if (raw === 'none') return { kind: 'none' };
  if (raw === 'required') return { kind: 'required' };
  if (isJsonObject(raw) && isJsonObject(raw.function) && typeof raw.function.name === 'string') {
    return { kind: 'named', name: raw.function.name };
  }
  throw new BadRequestError('tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}.', 'invalid_tool_choice', 'tool_choice');
}

function jsonResponseTool(schema: JsonObject): Tool {
  return {
    toolSpec: {
      name: JSON_RESPONSE_TOOL_NAME,
      description: 'Respond with a JSON object.',
      inputSchema: { json: schema },
    },
  };
}

/**
 * Build Converse's toolConfig from OpenAI `tools`, `tool_choice` and JSON mode.
 * `required` is Converse's `any`, a named function its `tool`. `none` has no Converse
 * equivalent, so the tools are left out; but Converse refuses a history with tool calls
 * unless tools are declared, so then they are sent with the default (auto) choice and a
 * warning. In JSON mode the `json` tool is added and forced when the caller's tools may not
 * be called; otherwise a tool call is required (the caller's or `json`).
 */
export function convertToBedrockToolConfig(input: {
  tools: JsonValue | undefined;
  toolChoice: JsonValue | undefined;
  jsonSchema: JsonObject | undefined;
  historyUsesTools: boolean;
  warnings: Set<string>;
}): ToolConfiguration | undefined {
  const tools = callerTools(input.tools, input.warnings);
  let choice = readToolChoice(input.toolChoice);
  if (choice.kind === 'none') {
    if (input.historyUsesTools && tools.length > 0) input.warnings.add('tool_choice');
    else tools.length = 0;
    choice = { kind: 'auto' };
  }
  if (input.jsonSchema !== undefined) {
    const forced: ToolChoice = { tool: { name: JSON_RESPONSE_TOOL_NAME } };
    if (tools.length === 0) return { tools: [jsonResponseTool(input.jsonSchema)], toolChoice: forced };
    const toolChoice: ToolChoice = choice.kind === 'named' ? { tool: { name: choice.name } } : { any: {} };
    return { tools: [...tools, jsonResponseTool(input.jsonSchema)], toolChoice };
  }
  if (tools.length === 0) return undefined;
  switch (choice.kind) {
    case 'required':
      return { tools, toolChoice: { any: {} } };
    case 'named':
      return { tools, toolChoice: { tool: { name: choice.name } } };
    default:
      return { tools, toolChoice: { auto: {} } };
  }
}
