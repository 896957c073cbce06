import type { Endpoint } from '../core/endpoint.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';

/**
 * The text guardrails look at, chosen as Portkey chooses it: the last message of a chat (or
 * Messages API) request, a completion's prompt, an embedding's input; the first choice of an
 * answer. Text parts of multi-part content are joined with newlines; images and other parts
 * are not text and are skipped.
 */

/** Endpoints whose requests input guardrails read. */
const INPUT_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['chat.completions', 'completions', 'embeddings', 'messages']);
/** Endpoints whose answers output guardrails read (embeddings have no text answer). */
const OUTPUT_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['chat.completions', 'completions', 'messages']);

/** Whether guardrails apply to an endpoint at all; other endpoints (images, audio, passthrough) skip them, as in Portkey. */
export function endpointRunsGuardrails(endpoint: Endpoint): boolean {
  return INPUT_ENDPOINTS.has(endpoint);
}

/** Whether an endpoint's answers have text for output guardrails. */
export function endpointHasAnswerText(endpoint: Endpoint): boolean {
  return OUTPUT_ENDPOINTS.has(endpoint);
}

function joinTexts(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join('\n');
}

/** A message `content`: a string, or parts of which the `text` ones count. */
function contentText(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return joinTexts(content.map((part) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : undefined)));
}

/** A prompt or an input: a string or a list of strings (token arrays are not text). */
function stringsText(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return joinTexts(value.map((item) => (typeof item === 'string' ? item : undefined)));
}

/** The text of a request that input guardrails check ('' when it has none). */
export function requestText(endpoint: Endpoint, body: JsonObject | undefined): string {
  if (body === undefined) return '';
  switch (endpoint) {
    case 'chat.completions':
    case 'messages': {
      const messages = body.messages;
      if (!Array.isArray(messages)) return '';
      const last = messages[messages.length - 1];
      return isJsonObject(last) ? contentText(last.content) : '';
    }
    case 'completions':
      return stringsText(body.prompt);
    case 'embeddings':
      return stringsText(body.input);
    default:
      return '';
  }
}

/**
 * The text of an answer that output guardrails check: the first choice's message or text
 * (OpenAI's chat and completion shapes), or the text blocks of an Anthropic Messages answer.
 */
export function answerText(answer: JsonObject): string {
  const choices = answer.choices;
  if (Array.isArray(choices)) {
    const first = choices[0];
    if (!isJsonObject(first)) return '';
    if (typeof first.text === 'string') return first.text;
    return isJsonObject(first.message) ? contentText(first.message.content) : '';
  }
  return Array.isArray(answer.content) ? contentText(answer.content) : '';
}
