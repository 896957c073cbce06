import type { JsonObject, JsonValue } from './json.ts';

/**
 * The canonical chat form: OpenAI's Chat Completions wire format, typed leniently. Every native
 * provider converts its API to and from these shapes, and the Anthropic Messages endpoint
 * converts through them, so one request form and one chunk form flow through the engine.
 * Fields not named here pass through untouched (index signatures).
 */
export interface ChatTextPart {
  type: 'text';
  text: string;
}

export interface ChatImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export type ChatContentPart = ChatTextPart | ChatImagePart | ({ type: string } & JsonObject);

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ChatContentPart[]; name?: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | {
      role: 'assistant';
      content?: string | ChatContentPart[] | null;
      tool_calls?: ChatToolCall[];
      name?: string;
      /** Reasoning text some providers return (DeepSeek, and the gateway for Anthropic thinking). */
      reasoning_content?: string;
    }
  | { role: 'tool'; content: string | ChatContentPart[]; tool_call_id: string };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonObject; strict?: boolean };
}

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } & JsonObject;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  n?: number;
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: JsonObject };
  seed?: number;
  user?: string;
  [parameter: string]: JsonValue | undefined | ChatMessage[] | ChatTool[] | ChatToolChoice;
}

/** OpenAI's finish reasons. */
export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** A finish reason as the caller sees it, with the provider's own value kept beside it. */
export interface FinishReason {
  unified: ChatFinishReason;
  raw: string | undefined;
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_creation_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      tool_calls?: ChatToolCall[];
      reasoning_content?: string;
      refusal?: string | null;
    };
    logprobs: JsonValue;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: OpenAIUsage;
  system_fingerprint?: string | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      reasoning_content?: string;
      tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function?: { name?: string; arguments?: string } }>;
      refusal?: string | null;
    };
    logprobs?: JsonValue;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
}

export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [parameter: string]: JsonValue | undefined;
}

export interface EmbeddingResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}
