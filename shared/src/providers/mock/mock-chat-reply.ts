import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import { sampleFromJsonSchema } from './mock-json-schema-sample.ts';
import { firstCharacters } from './mock-text-pieces.ts';

/** How much of the caller's text the generated reply quotes back. */
const QUOTED_CHARACTERS = 200;

const GREETING = "Hello from Turnpike's mock provider.";

/** What one choice of a mock chat answer says. */
export type MockChoiceContent =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; arguments: string };

export interface MessageText {
  text: string;
  /** Non-text parts by kind, such as `{ image: 2 }`. */
  attachments: Record<string, number>;
}

const PART_KINDS: Readonly<Record<string, string>> = {
  image_url: 'image',
  input_image: 'image',
  input_audio: 'audio clip',
  file: 'file',
};

/** The text of a message's content (a string or an array of parts), with its other parts counted. */
export function readMessageText(content: JsonValue | undefined): MessageText {
  if (typeof content === 'string') return { text: content, attachments: {} };
  const texts: string[] = [];
  const attachments: Record<string, number> = {};
  if (Array.isArray(content)) {
    for (const part of content) {
      if (!isJsonObject(part)) continue;
      if (typeof part.text === 'string') {
        texts.push(part.text);
        continue;
      }
      const kind = typeof part.type === 'string' ? (PART_KINDS[part.type] ?? part.type) : 'part';
      attachments[kind] = (attachments[kind] ?? 0) + 1;
    }
  }
  return { text: texts.join(' '), attachments };
}

function describeAttachments(attachments: Record<string, number>): string {
  const described = Object.entries(attachments).map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : 's'}`);
  return described.length === 0 ? '' : ` (${described.join(', ')})`;
}

/** The generated reply to a caller's words: a greeting that quotes the start of what they said. */
export function replyToText(said: MessageText | undefined): string {
  if (said === undefined || (said.text === '' && Object.keys(said.attachments).length === 0)) {
    return `${GREETING} You said nothing.`;
  }
  return `${GREETING} You said: ${firstCharacters(said.text, QUOTED_CHARACTERS)}${describeAttachments(said.attachments)}`;
}

function roleOf(message: JsonValue | undefined): string | undefined {
  return isJsonObject(message) && typeof message.role === 'string' ? message.role : undefined;
}

interface FunctionTool {
  name: string;
  parameters: JsonValue | undefined;
}

function functionTools(tools: JsonValue | undefined): FunctionTool[] {
  if (!Array.isArray(tools)) return [];
  const result: FunctionTool[] = [];
  for (const tool of tools) {
    if (!isJsonObject(tool) || !isJsonObject(tool.function) || typeof tool.function.name !== 'string') continue;
    result.push({ name: tool.function.name, parameters: tool.function.parameters });
  }
  return result;
}

/** The tool to call: the one tool_choice names, else the first; none when tools are off. */
function chooseTool(body: JsonObject): FunctionTool | undefined {
  const tools = functionTools(body.tools);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === 'none') return undefined;
  if (isJsonObject(choice) && isJsonObject(choice.function) && typeof choice.function.name === 'string') {
    const name = choice.function.name;
    return tools.find((tool) => tool.name === name) ?? { name, parameters: undefined };
  }
  return tools[0];
}

function formatAsJson(body: JsonObject, text: string): string {
  const format = body.response_format;
  if (!isJsonObject(format)) return text;
  if (format.type === 'json_object') return JSON.stringify({ reply: text });
  if (format.type === 'json_schema') {
    const schema = isJsonObject(format.json_schema) ? format.json_schema.schema : undefined;
    const sample = sampleFromJsonSchema(schema);
    return JSON.stringify(isJsonObject(sample) ? sample : { reply: text });
  }
  return text;
}

/**
 * What the mock model says to a chat request: a tool call when tools are offered (and the
 * last message is not already a tool result), otherwise text that quotes the last user
 * message, or the tool result, or the fixed `reply`; JSON when response_format asks for it.
 * Choices after the first say which choice they are, so `n` choices can be told apart.
 */
export function planChatChoice(body: JsonObject, choiceIndex: number, fixedReply: string | undefined): MockChoiceContent {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (roleOf(last) !== 'tool') {
    const tool = chooseTool(body);
    if (tool !== undefined) {
      const sample = sampleFromJsonSchema(tool.parameters);
      return { kind: 'tool-call', name: tool.name, arguments: JSON.stringify(isJsonObject(sample) ? sample : {}) };
    }
  }
  let text: string;
  if (fixedReply !== undefined) {
    text = fixedReply;
  } else {
    if (roleOf(last) === 'tool' && isJsonObject(last)) {
      const result = firstCharacters(readMessageText(last.content).text, QUOTED_CHARACTERS);
      text = `${GREETING} The tool returned: ${result}`;
    } else {
      const lastUser = [...messages].reverse().find((message) => roleOf(message) === 'user');
      text = replyToText(isJsonObject(lastUser) ? readMessageText(lastUser.content) : undefined);
    }
    if (choiceIndex > 0) text += ` (choice ${choiceIndex + 1})`;
  }
  return { kind: 'text', text: formatAsJson(body, text) };
}

/** Characters of every message's text: the basis of the mock's prompt token count. */
export function countPromptCharacters(messages: readonly JsonValue[]): number {
  let characters = 0;
  for (const message of messages) {
    if (isJsonObject(message)) characters += readMessageText(message.content).text.length;
  }
  return characters;
}
