import type { JsonObject, JsonValue } from '../core/json.ts';
import { isJsonObject } from '../core/json.ts';
import type { CacheableEndpoint } from './cache-key.ts';

/** The part of a request the semantic cache compares by meaning. */
export interface SemanticPrompt {
  /** The text to embed: the user-side turns of the conversation, or the completion prompt. */
  text: string;
  /** System and developer messages: compared exactly (through the parameter hash), never by similarity. */
  instructions: string[];
  /** Body fields holding the compared text, left out of the parameter hash. */
  promptFields: string[];
}

/** Longer prompts go to simple mode: embedding services cap their input (Titan v2: 50,000 characters). */
const MAX_PROMPT_CHARACTERS = 20_000;

function textOf(content: JsonValue | undefined): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    // Images, audio and files cannot be compared as text: such requests use simple mode.
    if (!isJsonObject(part) || part.type !== 'text' || typeof part.text !== 'string') return undefined;
    texts.push(part.text);
  }
  return texts.join('\n');
}

function hasEntries(value: JsonValue | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

function chatPrompt(body: JsonObject, maxMessages: number): SemanticPrompt | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > maxMessages) return undefined;
  // A tool's answer depends on what the tool returns, which similar wording does not capture.
  if (hasEntries(body.tools) || hasEntries(body.functions)) return undefined;
  const instructions: string[] = [];
  const turns: Array<{ role: string; text: string }> = [];
  for (const message of messages) {
    if (!isJsonObject(message) || typeof message.role !== 'string') return undefined;
    if (message.role === 'tool' || message.role === 'function' || hasEntries(message.tool_calls)) return undefined;
    const text = textOf(message.content);
    if (text === undefined) return undefined;
    if (message.role === 'system' || message.role === 'developer') instructions.push(`${message.role}: ${text}`);
    else turns.push({ role: message.role, text });
  }
  const [only] = turns;
  if (only === undefined) return undefined;
  const text = turns.length === 1 ? only.text : turns.map((turn) => `${turn.role}: ${turn.text}`).join('\n');
  return { text, instructions, promptFields: ['messages'] };
}

function completionPrompt(body: JsonObject): SemanticPrompt | undefined {
  const prompt = body.prompt;
  const text = typeof prompt === 'string' ? prompt : Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string' ? prompt[0] : undefined;
  return text === undefined ? undefined : { text, instructions: [], promptFields: ['prompt'] };
}

/**
 * The text a semantic lookup embeds, or undefined when the request must use simple mode:
 * not chat or completions, tools, tool turns, non-text content, more than `maxMessages`
 * messages, an empty or very long prompt.
 */
export function semanticPrompt(endpoint: CacheableEndpoint, body: JsonObject, maxMessages: number): SemanticPrompt | undefined {
  const prompt = endpoint === 'chat.completions' ? chatPrompt(body, maxMessages) : endpoint === 'completions' ? completionPrompt(body) : undefined;
  if (prompt === undefined || prompt.text.trim() === '' || prompt.text.length > MAX_PROMPT_CHARACTERS) return undefined;
  return prompt;
}
