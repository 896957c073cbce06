import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { GeminiFunctionDeclaration, GeminiGenerateContentRequest, GeminiGenerationConfig } from './gemini-api-types.ts';
import { cleanJsonSchemaForGemini, geminiFunctionParameters } from './clean-json-schema-for-gemini.ts';
import { convertToGeminiContents } from './convert-to-gemini-contents.ts';

export interface ConvertedChatRequest {
  request: GeminiGenerateContentRequest;
  /** OpenAI parameters Gemini has no equivalent for; dropped, reported to the caller. */
  warnings: string[];
}

/** Parameters read below, or with nothing to send (model goes in the URL, stream picks the method). */
const HANDLED: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'user',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'n',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'safety_settings',
  'parallel_tool_calls',
  'logprobs',
]);

function numberParameter(body: JsonObject, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new BadRequestError(`${name} must be a number.`, 'invalid_parameter', name);
  return value;
}

function convertTools(tools: JsonValue | undefined): GeminiGenerateContentRequest['tools'] {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw new BadRequestError('tools must be an array.', 'invalid_parameter', 'tools');
  const declarations = tools.map((tool, index): GeminiFunctionDeclaration => {
    const fn = isJsonObject(tool) ? tool.function : undefined;
    if (!isJsonObject(tool) || tool.type !== 'function' || !isJsonObject(fn) || typeof fn.name !== 'string') {
      throw new BadRequestError('Gemini takes tools of type "function" with function.name.', 'invalid_tool', `tools[${index}]`);
    }
    const declaration: GeminiFunctionDeclaration = { name: fn.name };
    if (typeof fn.description === 'string') declaration.description = fn.description;
    const parameters = geminiFunctionParameters(fn.parameters);
    if (parameters !== undefined) declaration.parameters = parameters;
    return declaration;
  });
  return declarations.length === 0 ? undefined : [{ functionDeclarations: declarations }];
}

function convertToolChoice(choice: JsonValue | undefined): GeminiGenerateContentRequest['toolConfig'] {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  const fn = isJsonObject(choice) ? choice.function : undefined;
  if (isJsonObject(fn) && typeof fn.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [fn.name] } };
  }
  throw new BadRequestError('tool_choice must be auto, none, required or {type: "function", function: {name}}.', 'invalid_parameter', 'tool_choice');
}

function applyResponseFormat(format: JsonValue | undefined, config: GeminiGenerationConfig): void {
  if (!isJsonObject(format) || format.type === 'text') return;
  if (format.type === 'json_object') {
    config.responseMimeType = 'application/json';
    return;
  }
  if (format.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = isJsonObject(format.json_schema) ? cleanJsonSchemaForGemini(format.json_schema.schema) : undefined;
    if (schema !== undefined) config.responseSchema = schema;
    return;
  }
  throw new BadRequestError('response_format.type must be text, json_object or json_schema.', 'invalid_parameter', 'response_format');
}

// Gemini 2.5 takes a token budget; these are the figures Google's OpenAI-compatible endpoint uses.
const THINKING_BUDGETS: Readonly<Record<string, number>> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576 };

/**
 * reasoning_effort → thinkingConfig: Gemini 3 takes a thinking level (minimal, low, medium,
 * high; it cannot switch thinking off, so `none` asks for the lowest level), older models a
 * token budget. Thought summaries are asked for so they come back as reasoning_content.
 */
function applyReasoningEffort(effort: JsonValue | undefined, model: string, config: GeminiGenerationConfig): void {
  if (typeof effort !== 'string') return;
  const budget = THINKING_BUDGETS[effort];
  if (budget === undefined) {
    throw new BadRequestError('reasoning_effort must be none, minimal, low, medium or high.', 'invalid_parameter', 'reasoning_effort');
  }
  const major = Number(/gemini-(\d+)/.exec(model)?.[1] ?? 0);
  if (major >= 3) {
    config.thinkingConfig = { thinkingLevel: effort === 'none' ? 'low' : effort, includeThoughts: effort !== 'none' };
  } else {
    config.thinkingConfig = effort === 'none' ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
  }
}

function generationConfig(body: JsonObject, model: string): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const temperature = numberParameter(body, 'temperature');
  if (temperature !== undefined) config.temperature = temperature;
  const topP = numberParameter(body, 'top_p');
  if (topP !== undefined) config.topP = topP;
  const topK = numberParameter(body, 'top_k');
  if (topK !== undefined) config.topK = topK;
  const maxTokens = numberParameter(body, 'max_completion_tokens') ?? numberParameter(body, 'max_tokens');
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  const { stop } = body;
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop)) config.stopSequences = stop.filter((sequence): sequence is string => typeof sequence === 'string');
  const n = numberParameter(body, 'n');
  if (n !== undefined) config.candidateCount = n;
  const seed = numberParameter(body, 'seed');
  if (seed !== undefined) config.seed = seed;
  const presence = numberParameter(body, 'presence_penalty');
  if (presence !== undefined) config.presencePenalty = presence;
  const frequency = numberParameter(body, 'frequency_penalty');
  if (frequency !== undefined) config.frequencyPenalty = frequency;
  applyResponseFormat(body.response_format, config);
  applyReasoningEffort(body.reasoning_effort, model, config);
  return config;
}

function collectWarnings(body: JsonObject): string[] {
  const warnings = Object.keys(body).filter((name) => !HANDLED.has(name) && body[name] !== undefined);
  // Gemini may always call functions in parallel and has no log probabilities in this mapping.
  if (body.parallel_tool_calls === false) warnings.push('parallel_tool_calls');
  if (body.logprobs === true) warnings.push('logprobs');
  return warnings;
}

/**
 * An OpenAI chat.completions body as a Gemini generateContent body. Parameters Gemini cannot
 * take are dropped and named in `warnings`; malformed ones are a 400.
 */
export function convertChatRequest(body: JsonObject): ConvertedChatRequest {
  const model = typeof body.model === 'string' ? body.model : '';
  const conversation = convertToGeminiContents(body.messages, model);
  const request: GeminiGenerateContentRequest = { contents: conversation.contents };
  if (conversation.systemInstruction !== undefined) request.systemInstruction = conversation.systemInstruction;
  const tools = convertTools(body.tools);
  if (tools !== undefined) request.tools = tools;
  const toolConfig = convertToolChoice(body.tool_choice);
  if (toolConfig !== undefined) request.toolConfig = toolConfig;
  const config = generationConfig(body, model);
  if (Object.keys(config).length > 0) request.generationConfig = config;
  if (Array.isArray(body.safety_settings)) request.safetySettings = body.safety_settings;
  return { request, warnings: collectWarnings(body) };
}
