import { BadRequestError, PayloadTooLargeError } from '../core/gateway-error.ts';
import { appendPathKey, formatConfigPath } from '../protocol/config-path.ts';
import { valueAt } from '../protocol/describe-config-issue.ts';
import type * as z from '../protocol/zod-mini-english.ts';

/** Admin bodies are small records; a config is the largest and stays far below this. */
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

/**
 * The request body as JSON (undefined when empty). Too large → 413, not JSON → 400. Values are
 * never echoed in errors: a body may carry a provider secret.
 */
export async function readJsonBody(request: Request, limitBytes = MAX_ADMIN_BODY_BYTES): Promise<unknown> {
  if (Number(request.headers.get('content-length')) > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > limitBytes) throw new PayloadTooLargeError(limitBytes);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('The request body is not valid JSON.', 'invalid_json', 'body');
  }
}

/**
 * Validate `value` against `schema`; the first problem becomes a 400 whose `param` is the path
 * of the field (`scopes.models[0]`, or `body` for the whole body) and whose message starts with it.
 */
export function parseInput<T>(schema: z.ZodMiniType<T>, value: unknown, root = 'body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new BadRequestError(`${root}: invalid`, 'invalid_request', root);
  let path = formatConfigPath(issue.path);
  let message: string;
  switch (issue.code) {
    case 'unrecognized_keys':
      path = appendPathKey(path, issue.keys[0] ?? '');
      message = 'unknown field';
      break;
    case 'invalid_type':
      // A schema's own message (a custom error) wins over the generic wording.
      if (!issue.message.startsWith('Invalid input')) message = issue.message;
      else if (valueAt(value, issue.path) === undefined) message = `required (${expectedName(issue.expected)})`;
      else message = `expected ${expectedName(issue.expected)}`;
      break;
    case 'invalid_value':
      message = `expected one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}`;
      break;
    default:
      message = issue.message.replace(/^Invalid (?:string|input): /, '').replace(/^Too (?:small|big): /, '');
  }
  const param = path === '' ? root : root === 'body' ? path : `${root}.${path}`;
  throw new BadRequestError(`${param}: ${message}`, 'invalid_request', param);
}

function expectedName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'record') return 'object';
  return expected;
}

