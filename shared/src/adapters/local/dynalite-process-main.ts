// The entry of the local database's own process (see start-dynalite-process.ts). It serves
// dynalite on 127.0.0.1, prints `{"endpoint":…}` on one line once it listens, and closes the
// database (flushing it to disk) when its parent closes stdin, exits or dies, or on SIGTERM.
import { type LocalDynamo, startDynalite } from './start-dynalite.ts';

interface ProcessOptions {
  path?: string;
}

function readOptions(): ProcessOptions {
  const parsed: unknown = JSON.parse(process.argv[2] ?? '{}');
  if (typeof parsed !== 'object' || parsed === null) return {};
  const path = (parsed as Record<string, unknown>).path;
  return typeof path === 'string' ? { path } : {};
}

let dynamo: LocalDynamo;
try {
  dynamo = await startDynalite({ ...readOptions(), host: '127.0.0.1', port: 0 });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  dynamo.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`The local database did not close cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

// stdin is a pipe from the parent: it ends when the parent closes it or dies in any way, even
// SIGKILL, so the database never outlives the gateway it serves.
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
// The parent decides when the database stops; a signal sent to this process alone still closes it cleanly.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ endpoint: dynamo.endpoint })}\n`);
