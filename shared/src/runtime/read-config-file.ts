import { readFileSync } from 'node:fs';
import * as z from '../protocol/zod-mini-english.ts';

/**
 * The optional local config file (`turnpike.config.json`), validated so typos are reported.
 * Its own file because only local mode reads it: the AWS root never imports it, so the
 * schema is not built at every Lambda cold start.
 */
const configFileSchema = z.strictObject({
  defaultProvider: z.optional(z.string().check(z.minLength(1))),
  maxBodyBytes: z.optional(z.number().check(z.int(), z.positive())),
  allowBringYourOwnKey: z.optional(z.boolean()),
  allowedHosts: z.optional(z.array(z.string().check(z.minLength(1)))),
  logRequests: z.optional(z.boolean()),
  savedConfigs: z.optional(z.record(z.string().check(z.minLength(1)), z.json())),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Read and validate a config file; a missing default file is fine, a named missing one is not. */
export function readConfigFile(path: string, required: boolean): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid config file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
