import type { JsonObject, JsonValue } from '../../core/json.ts';

/**
 * Cohere's v2 wire format (https://docs.cohere.com/reference/chat, /reference/embed).
 * Request types are exact (the gateway builds them); response and event types are lenient:
 * every field optional, unknown fields ignored, so a new field from Cohere is never fatal.
 */

export interface CohereTextContent {
  type: 'text';
  text: string;
}

export interface CohereImageContent {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string | CohereTextContent[] }
  | { role: 'user'; content: string | Array<CohereTextContent | CohereImageContent> }
  | { role: 'assistant'; content?: string | CohereTextContent[]; tool_calls?: CohereToolCall[]; tool_plan?: string }
  | { role: 'tool'; tool_call_id: string; content: string | CohereTextContent[] };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonObject };
}

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: CohereTool[];
  /** Absent means "auto": the model decides. */
  tool_choice?: 'REQUIRED' | 'NONE';
  strict_tools?: boolean;
  max_tokens?: number;
  temperature?: number;
  p?: number;
  k?: number;
  stop_sequences?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  response_format?: { type: 'json_object'; json_schema?: JsonObject };
  thinking?: JsonObject;
  /** Cohere-only parameters a caller may send as extras (documents, safety_mode, ...). */
  [extra: string]: JsonValue | undefined | CohereMessage[] | CohereTool[];
}

export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number } | null;
  tokens?: { input_tokens?: number; output_tokens?: number } | null;
  cached_tokens?: number | null;
}

export interface CohereContentBlock {
  type?: string;
  text?: string;
  thinking?: string;
}

export interface CohereChatResponse {
  id?: string;
  finish_reason?: string;
  message?: {
    role?: string;
    content?: CohereContentBlock[] | null;
    tool_calls?: Array<Partial<CohereToolCall> & { function?: { name?: string; arguments?: string | null } }> | null;
    tool_plan?: string | null;
    citations?: JsonValue[] | null;
  };
  usage?: CohereUsage | null;
  /** Set on some error answers that still came with HTTP 200. */
  error_message?: string | null;
}

/** One v2 stream event; `type` names it (message-start, content-delta, tool-call-start, ...). */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string;
    usage?: CohereUsage;
    error?: string | null;
  };
}

export interface CohereEmbedRequest {
  model: string;
  texts: string[];
  input_type: string;
  embedding_types: ['float'];
  output_dimension?: number;
  truncate?: string;
}

export interface CohereEmbedResponse {
  id?: string;
  /** `embeddings_by_type` answers carry `{ float: [...] }`; older `embeddings_floats` ones a bare array. */
  embeddings?: { float?: number[][] } | number[][];
  meta?: { billed_units?: { input_tokens?: number } };
}

export interface CohereModelList {
  models?: Array<{ name?: string }>;
}
