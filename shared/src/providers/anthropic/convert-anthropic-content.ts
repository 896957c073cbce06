import type { ChatContentPart } from '../../core/chat-types.ts';
import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { AnthropicDocumentBlock, AnthropicImageBlock, AnthropicTextBlock } from './anthropic-api-types.ts';

export type AnthropicUserBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock;

/** `data:<media type>;base64,<data>`; Anthropic takes only base64 inline data. */
const BASE64_DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[^;,]*)*;base64,(.*)$/s;

/**
 * Prompt-caching breakpoints: callers who know Anthropic put `cache_control` on a content
 * part (as Portkey documents); it goes on to the block unchanged.
 */
function withCacheControl<Block extends AnthropicUserBlock>(block: Block, part: JsonObject): Block {
  const cacheControl = part.cache_control;
  return isJsonObject(cacheControl) ? { ...block, cache_control: cacheControl } : block;
}

function stringField(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * An image URL as an Anthropic image source: data URLs become base64 sources and http(s)
 * URLs become URL sources (https://docs.anthropic.com/en/docs/build-with-claude/vision).
 */
function imageBlock(url: string, param: string): AnthropicImageBlock {
  const data = BASE64_DATA_URL.exec(url);
  if (data !== null) return { type: 'image', source: { type: 'base64', media_type: data[1] ?? '', data: data[2] ?? '' } };
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new BadRequestError('An image URL must be an http(s) URL or a base64 data: URL.', 'invalid_image_url', param);
}

/** OpenAI `file` parts carry inline PDFs as data URLs; Anthropic reads them as documents. */
function documentBlock(file: JsonObject, param: string): AnthropicDocumentBlock | undefined {
  const fileData = stringField(file.file_data);
  if (fileData === undefined) return undefined;
  const data = BASE64_DATA_URL.exec(fileData);
  if (data === null) throw new BadRequestError('file_data must be a base64 data: URL.', 'invalid_file_data', param);
  const block: AnthropicDocumentBlock = { type: 'document', source: { type: 'base64', media_type: data[1] ?? '', data: data[2] ?? '' } };
  const filename = stringField(file.filename);
  if (filename !== undefined) block.title = filename;
  return block;
}

/**
 * Convert one OpenAI content part. Parts Claude cannot take (audio, file ids) are dropped
 * and named in `warnings`; a malformed part is the caller's error.
 */
export function convertContentPart(part: ChatContentPart, param: string, warnings: Set<string>): AnthropicUserBlock | undefined {
  if (!isJsonObject(part)) throw new BadRequestError('A content part must be an object.', 'invalid_content', param);
  switch (part.type) {
    case 'text': {
      const text = stringField(part.text);
      if (text === undefined) throw new BadRequestError('A text part needs a string `text`.', 'invalid_content', param);
      // Anthropic rejects empty text blocks; an empty part adds nothing anyway.
      return text === '' ? undefined : withCacheControl({ type: 'text', text }, part);
    }
    case 'image_url': {
      const imageUrl = part.image_url;
      const url = isJsonObject(imageUrl) ? stringField(imageUrl.url) : stringField(imageUrl);
      if (url === undefined) throw new BadRequestError('An image_url part needs `image_url.url`.', 'invalid_content', param);
      return withCacheControl(imageBlock(url, `${param}.image_url.url`), part);
    }
    case 'file': {
      const block = isJsonObject(part.file) ? documentBlock(part.file, `${param}.file.file_data`) : undefined;
      if (block === undefined) {
        warnings.add('file_id');
        return undefined;
      }
      return withCacheControl(block, part);
    }
    default:
      warnings.add(typeof part.type === 'string' ? part.type : 'content');
      return undefined;
  }
}

/** Message content (a string or parts) as Anthropic blocks. */
export function convertContent(
  content: string | ChatContentPart[] | null | undefined,
  param: string,
  warnings: Set<string>,
): AnthropicUserBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new BadRequestError('`content` must be a string or an array of parts.', 'invalid_content', param);
  const blocks: AnthropicUserBlock[] = [];
  content.forEach((part, index) => {
    const block = convertContentPart(part, `${param}[${index}]`, warnings);
    if (block !== undefined) blocks.push(block);
  });
  return blocks;
}
