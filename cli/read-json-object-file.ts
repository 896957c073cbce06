import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-error.ts';
import type { CliIo } from './command-spec.ts';

/**
 * The JSON object in `path` (or stdin for `-`), for commands that send a document (a Config, a
 * guardrail). `shape` completes the message when the file holds something else.
 */
export async function readJsonObjectFile(path: string, io: CliIo, shape: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot read ${path}: ${typeof code === 'string' ? code : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${path} must hold ${shape}`);
  return value as Record<string, unknown>;
}
