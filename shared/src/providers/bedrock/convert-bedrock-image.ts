import { BadRequestError } from '../../core/gateway-error.ts';
import type { ContentBlock, ImageFormat } from './bedrock-api-types.ts';

// The image formats Converse accepts. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html
const FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s;

/**
 * An OpenAI `image_url` as a Converse image block. Converse takes image bytes (or an S3
 * location), never an http(s) URL, and the gateway does not fetch URLs on a caller's behalf,
 * so only `data:` URLs are accepted.
 */
export function convertBedrockImage(url: string, param: string): ContentBlock.ImageMember {
  const match = DATA_URL.exec(url);
  if (match === null) {
    throw new BadRequestError(
      'Bedrock accepts images only as base64 data: URLs (data:image/png;base64,...); http(s) image URLs are not supported by the Converse API.',
      'unsupported_image_url',
      param,
    );
  }
  const mediaType = (match[1] ?? '').toLowerCase();
  const format = FORMATS[mediaType];
  if (format === undefined) {
    throw new BadRequestError(`Bedrock does not accept images of type ${mediaType}; use png, jpeg, gif or webp.`, 'unsupported_image_format', param);
  }
  const isBase64 = (match[2] ?? '').split(';').includes('base64');
  const data = match[3] ?? '';
  const bytes = isBase64 ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'latin1');
  return { image: { format, source: { bytes: new Uint8Array(bytes) } } };
}
