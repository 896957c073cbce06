import type { JsonObject, JsonValue } from '../../core/json.ts';

/**
 * The parts of Anthropic's Messages API the gateway speaks
 * (https://docs.anthropic.com/en/api/messages). Request types are what the gateway builds;
 * response and stream types are lenient (optional fields, unknown fields ignored), because
 * Anthropic adds fields and block types often.
 */

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: JsonObject;
}

export type AnthropicImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string };

export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicImageSource;
  cache_control?: JsonObject;
}

export interface AnthropicDocumentBlock {
  type: 'document';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
  title?: string;
  cache_control?: JsonObject;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: JsonValue;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock>;
}

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: JsonObject;
}

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** The body of `POST /v1/messages` as the gateway sends it. */
export interface AnthropicMessagesRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: AnthropicTextBlock[];
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  metadata?: { user_id: string };
  stream?: boolean;
  /** Anthropic-native fields a caller may send beside the OpenAI ones (thinking, top_k, ...). */
  [field: string]: JsonValue | undefined | AnthropicMessage[] | AnthropicTextBlock[] | AnthropicTool[] | AnthropicToolChoice;
}

/** Usage as Anthropic reports it, on a message and (cumulatively) on `message_delta`. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/** A response content block; only the fields the gateway reads are typed. */
export interface AnthropicResponseBlock {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: JsonValue;
}

export interface AnthropicStopDetails {
  type?: string;
  category?: string;
  explanation?: string;
}

/** The body of a non-streamed Messages answer. */
export interface AnthropicMessageResponse {
  id?: string;
  type?: string;
  model?: string;
  content?: AnthropicResponseBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  stop_details?: AnthropicStopDetails | null;
  usage?: AnthropicUsage;
}

export interface AnthropicErrorPayload {
  type?: string;
  message?: string;
}

/** One event of a Messages stream (https://docs.anthropic.com/en/docs/build-with-claude/streaming). */
export type AnthropicStreamEvent =
  | { type: 'message_start'; message: AnthropicMessageResponse }
  | { type: 'content_block_start'; index: number; content_block: AnthropicResponseBlock }
  | {
      type: 'content_block_delta';
      index: number;
      delta: { type: string; text?: string; thinking?: string; partial_json?: string };
    }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason?: string | null; stop_sequence?: string | null; stop_details?: AnthropicStopDetails | null };
      usage?: AnthropicUsage;
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: AnthropicErrorPayload };
