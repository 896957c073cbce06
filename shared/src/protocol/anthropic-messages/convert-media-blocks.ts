import type { ChatContentPart, ChatImagePart } from '../../core/chat-types.ts';
import { invalidField, onlyAnthropic, readObject, readString, type TypedBlock } from './read-messages-fields.ts';

/**
 * An Anthropic image block as an OpenAI image part: base64 sources become data URLs, URL
 * sources stay URLs. File ids name files stored at Anthropic, which no other provider has.
 */
export function convertImageBlock(block: TypedBlock, param: string): ChatImagePart {
  const source = readObject(block, 'source', param);
  const at = `${param}.source`;
  switch (source.type) {
    case 'base64':
      return { type: 'image_url', image_url: { url: `data:${readString(source, 'media_type', at)};base64,${readString(source, 'data', at)}` } };
    case 'url':
      return { type: 'image_url', image_url: { url: readString(source, 'url', at) } };
    case 'file':
      throw onlyAnthropic(`${at}.type`, 'An image given by file id');
    default:
      throw invalidField(`${at}.type`, '"base64", "url" or "file"');
  }
}

/**
 * An Anthropic document block as an OpenAI part: a base64 PDF becomes a `file` part (OpenAI's
 * inline file input), a plain-text document its text. Other sources (URLs, content blocks,
 * file ids) have no OpenAI equivalent.
 */
export function convertDocumentBlock(block: TypedBlock, param: string): ChatContentPart {
  const source = readObject(block, 'source', param);
  const at = `${param}.source`;
  if (source.type === 'base64') {
    const mediaType = readString(source, 'media_type', at);
    const filename = typeof block.title === 'string' && block.title !== '' ? block.title : 'document.pdf';
    return { type: 'file', file: { filename, file_data: `data:${mediaType};base64,${readString(source, 'data', at)}` } };
  }
  if (source.type === 'text') return { type: 'text', text: readString(source, 'data', at) };
  throw onlyAnthropic(`${at}.type`, `A document with a "${String(source.type)}" source`);
}
