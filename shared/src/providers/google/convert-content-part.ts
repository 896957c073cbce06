import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { GeminiPart } from './gemini-api-types.ts';

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w=.+-]+)*;base64,(.*)$/s;

const MIME_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  mp4: 'video/mp4',
};

/** The MIME type a URL's file extension suggests, or `fallback`. */
function guessMimeType(url: string, fallback: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL with a scheme Node knows: use the text as it is.
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (extension === undefined ? undefined : MIME_TYPES_BY_EXTENSION[extension]) ?? fallback;
}

/**
 * A media URL as a Gemini part: a base64 data: URL becomes inlineData; an http(s) URL becomes
 * fileData, which Gemini fetches itself (public and signed URLs are accepted,
 * https://ai.google.dev/gemini-api/docs/file-input-methods); Files API URIs work the same way.
 */
function mediaPart(url: string, fallbackMimeType: string, param: string): GeminiPart {
  const data = DATA_URL.exec(url);
  if (data !== null) return { inlineData: { mimeType: data[1] ?? fallbackMimeType, data: data[2] ?? '' } };
  if (/^https?:\/\//i.test(url)) return { fileData: { mimeType: guessMimeType(url, fallbackMimeType), fileUri: url } };
  throw new BadRequestError(
    'Gemini takes media as a base64 data: URL or an http(s) URL.',
    'invalid_image_url',
    param,
  );
}

function stringField(value: JsonValue | undefined, key: string): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

/**
 * One OpenAI content part as a Gemini part: text, image_url, input_audio (base64 with a
 * format) and file (file_data as a data: URL, or a file_id that is a URL).
 */
export function convertContentPart(part: JsonValue, param: string): GeminiPart {
  if (!isJsonObject(part)) throw new BadRequestError('A content part must be an object.', 'invalid_content_part', param);
  switch (part.type) {
    case 'text':
      return { text: typeof part.text === 'string' ? part.text : '' };
    case 'image_url': {
      const url = typeof part.image_url === 'string' ? part.image_url : stringField(part.image_url, 'url');
      if (url === undefined) throw new BadRequestError('An image_url part needs image_url.url.', 'invalid_image_url', param);
      return mediaPart(url, 'image/jpeg', param);
    }
    case 'input_audio': {
      const data = stringField(part.input_audio, 'data');
      const format = stringField(part.input_audio, 'format') ?? 'wav';
      if (data === undefined) throw new BadRequestError('An input_audio part needs input_audio.data.', 'invalid_content_part', param);
      return { inlineData: { mimeType: `audio/${format}`, data } };
    }
    case 'file': {
      const fileData = stringField(part.file, 'file_data');
      if (fileData !== undefined) return mediaPart(fileData, 'application/pdf', param);
      const fileId = stringField(part.file, 'file_id');
      if (fileId !== undefined && /^https?:\/\//i.test(fileId)) {
        return { fileData: { mimeType: stringField(part.file, 'format') ?? guessMimeType(fileId, 'application/pdf'), fileUri: fileId } };
      }
      throw new BadRequestError('A file part needs file.file_data (a data: URL) or a file_id that is a URL.', 'invalid_content_part', param);
    }
    default:
      throw new BadRequestError(`Gemini does not support content parts of type "${String(part.type)}".`, 'unsupported_content_part', param);
  }
}

/** Message content (a string or parts) as Gemini parts. */
export function convertMessageContent(content: JsonValue | undefined, param: string): GeminiPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw new BadRequestError('Message content must be a string or an array of parts.', 'invalid_message', param);
  return content.map((part, index) => convertContentPart(part, `${param}[${index}]`));
}

/** The text of message content, for places that take text only (system prompt, tool results). */
export function contentText(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isJsonObject(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}
