import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AdminClient } from './admin-client.ts';
import { CliError } from './cli-error.ts';
import { ALL_COMMANDS } from './commands/all-commands.ts';
import type { CliIo } from './command-spec.ts';
import { commandHelp, globalHelp, resourceHelp } from './help-text.ts';
import { Output } from './output.ts';
import { parseCommandLine } from './parse-command-line.ts';
import { resolveConnection } from './resolve-connection.ts';
import type { SigningCredentials } from './sign-admin-request.ts';

/** Swapped in by in-process tests; the binary uses the real fetch and the AWS credential chain. */
export interface TurnpikeDependencies {
  fetch?: typeof fetch;
  credentials?: SigningCredentials;
}

/**
 * Run one `turnpike` command line and resolve to its exit code: 0 done, 1 the API or the
 * network refused, 2 the command line is wrong. Failures print exactly one line on stderr,
 * `turnpike: <reason>`, and never the admin token.
 */
export async function runTurnpike(
  argv: readonly string[],
  io: CliIo,
  dependencies: TurnpikeDependencies = {},
): Promise<number> {
  const secrets = [io.env.TURNPIKE_ADMIN_TOKEN ?? '', ...tokenArguments(argv)];
  try {
    const parsed = parseCommandLine(argv, ALL_COMMANDS);
    if (parsed.kind === 'help') {
      io.writeStdout(
        parsed.command !== undefined
          ? commandHelp(parsed.command)
          : parsed.resource !== undefined
            ? resourceHelp(ALL_COMMANDS, parsed.resource)
            : globalHelp(ALL_COMMANDS),
      );
      return 0;
    }
    const { command, args, values } = parsed;
    const connection = resolveConnection(values, io.env, dependencies.credentials);
    const client = new AdminClient({ ...connection, ...(dependencies.fetch === undefined ? {} : { fetch: dependencies.fetch }) });
    await command.run({ args, values, client, io, output: new Output(io, values.json === true) });
    return 0;
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : 1;
    const reason = error instanceof Error ? error.message : String(error);
    io.writeStderr(`turnpike: ${oneLine(redact(reason, secrets))}\n`);
    return exitCode;
  }
}

/** Values given to `--token`, read before parsing so that even a parse error cannot echo one. */
function tokenArguments(argv: readonly string[]): string[] {
  return argv.flatMap((argument, index) => {
    if (argument === '--token') return [argv[index + 1] ?? ''];
    return argument.startsWith('--token=') ? [argument.slice('--token='.length)] : [];
  });
}

/** The error line must stay one line, whatever a server or a library put in the message. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Belt and braces: no code path puts the token in a message, and this makes sure of it. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length >= 4).reduce((result, secret) => result.replaceAll(secret, '***'), text);
}

/** The real process: argv, environment, standard streams, exit code. */
export async function runFromProcess(): Promise<void> {
  // The SDK's credential chain warns on stderr about Node 20 whenever it builds an STS or SSO
  // client; that would break the promise of one stderr line per failure.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `turnpike … | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io: CliIo = {
    env: process.env,
    stdinIsTerminal: process.stdin.isTTY === true,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8');
    },
    writeStdout: (text) => void process.stdout.write(text),
    writeStderr: (text) => void process.stderr.write(text),
  };
  process.exitCode = await runTurnpike(process.argv.slice(2), io);
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// `tsx cli/turnpike.ts …` works as well as the bin shim.
if (isEntryPoint()) await runFromProcess();
