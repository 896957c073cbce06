import { UsageError } from './cli-error.ts';
import type { CliIo } from './command-spec.ts';
import { flagOption, stringOption, type OptionValues } from './option-values.ts';

/**
 * The provider secret for a virtual key, from standard input (`--secret-stdin`) or an
 * environment variable (`--secret-env VAR`). There is deliberately no way to pass it as an
 * argument: arguments land in shell history and in every `ps` listing.
 */
export async function readSecret(values: OptionValues, io: CliIo): Promise<string> {
  const fromStdin = flagOption(values, 'secret-stdin');
  const variable = stringOption(values, 'secret-env');
  if (fromStdin && variable !== undefined) throw new UsageError('give either --secret-stdin or --secret-env, not both');
  if (variable !== undefined) {
    const secret = io.env[variable];
    if (secret === undefined || secret === '') throw new UsageError(`environment variable ${variable} is not set or empty`);
    return secret;
  }
  if (!fromStdin) {
    throw new UsageError('the provider secret is required: pipe it in with --secret-stdin, or name a variable with --secret-env VAR');
  }
  if (io.stdinIsTerminal) io.writeStderr('Paste the secret, then press Enter and Ctrl-D:\n');
  // `echo key | turnpike …` and files saved by editors end with a newline that is not part of the key.
  const secret = (await io.readStdin()).replace(/\r?\n$/, '');
  if (secret === '') throw new UsageError('standard input was empty: pipe the secret in, e.g. turnpike … --secret-stdin < key.txt');
  return secret;
}
