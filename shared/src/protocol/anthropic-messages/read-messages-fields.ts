import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';

/** A content block or tool as the caller sent it: an object with a string `type`. */
export type TypedBlock = JsonObject & { type: string };

/** A field of the caller's Messages request has the wrong shape; `param` is its path. */
export function invalidField(param: string, expected: string): BadRequestError {
  return new BadRequestError(`\`${param}\` must be ${expected}.`, 'invalid_type', param);
}

/**
 * Something only Anthropic can serve (a server tool, a file id, a citation source) was sent
 * to another provider: refused rather than silently dropped, since the answer would differ.
 */
export function onlyAnthropic(param: string, what: string): BadRequestError {
  return new BadRequestError(
    `${what} (\`${param}\`) can only be sent to the anthropic provider; other providers have no equivalent.`,
    'unsupported_parameter',
    param,
  );
}

export function readString(object: JsonObject, key: string, param: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw invalidField(`${param}.${key}`, 'a string');
  return value;
}

export function readObject(object: JsonObject, key: string, param: string): JsonObject {
  const value = object[key];
  if (!isJsonObject(value)) throw invalidField(`${param}.${key}`, 'an object');
  return value;
}

/** The blocks of a content array, each checked to be an object with a type. */
export function readBlocks(content: JsonValue | undefined, param: string): TypedBlock[] {
  if (!Array.isArray(content)) throw invalidField(param, 'a string or an array of content blocks');
  return content.map((block, index) => {
    if (!isJsonObject(block) || typeof block.type !== 'string') {
      throw invalidField(`${param}[${index}]`, 'an object with a string `type`');
    }
    return block as TypedBlock;
  });
}
