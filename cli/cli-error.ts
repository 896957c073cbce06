/**
 * The two ways a command fails, told apart by exit code: scripts can tell "you called me
 * wrong" (2, nothing was sent) from "the server or the network said no" (1).
 */
export class CliError extends Error {
  readonly exitCode: number = 1;
}

/** The command line itself is wrong: unknown command, missing option, bad value. Exit code 2. */
export class UsageError extends CliError {
  override readonly exitCode: number = 2;
}

/** The admin API answered with an error status. Exit code 1. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}
