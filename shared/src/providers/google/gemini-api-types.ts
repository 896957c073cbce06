import type { JsonObject, JsonValue } from '../../core/json.ts';

/**
 * The Gemini API's wire shapes (https://ai.google.dev/api/generate-content). Request types are
 * what the gateway sends; response types are lenient: every field optional, unknown fields
 * ignored, because Google adds fields (createTime, trafficType, ...) without notice.
 */

export interface GeminiFunctionCall {
  id?: string;
  name?: string;
  args?: JsonObject;
  /** Streamed function-call arguments (streamFunctionCallArguments): one piece per jsonPath. */
  partialArgs?: GeminiPartialArgument[];
  /** True while more pieces of this call follow in later events. */
  willContinue?: boolean;
}

export interface GeminiPartialArgument {
  jsonPath?: string;
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: JsonValue;
  willContinue?: boolean;
}

export interface GeminiPart {
  text?: string;
  /** Marks a thought summary (only sent when thinkingConfig.includeThoughts is true). */
  thought?: boolean;
  /** Opaque signature of the model's reasoning, to be echoed back with function calls (Gemini 3). */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: { name: string; response: JsonObject };
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts?: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: JsonObject;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: JsonObject;
  thinkingConfig?: { includeThoughts?: boolean; thinkingBudget?: number; thinkingLevel?: string };
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiPart[] };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: JsonValue[];
}

export interface GeminiCandidate {
  index?: number;
  content?: GeminiContent;
  finishReason?: string;
  finishMessage?: string;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  /** A stream can carry an error event instead of a response. */
  error?: GeminiErrorDetail;
}

/** `{ error: { code, message, status, details } }`, Google's error envelope (google.rpc.Status). */
export interface GeminiErrorDetail {
  code?: number;
  message?: string;
  status?: string;
  details?: JsonValue[];
}

export interface GeminiEmbedContentRequest {
  model?: string;
  content: { parts: Array<{ text: string }> };
  outputDimensionality?: number;
}

export interface GeminiEmbedding {
  values?: number[];
}
