import { Agent, request } from 'node:http';

export interface LoadTarget {
  /** Shown in the report. */
  name: string;
  /** Full URL of the chat completions route. */
  url: URL;
  headers: Readonly<Record<string, string>>;
  /** One keep-alive pool per target, sized for the highest concurrency, reused across runs. */
  agent: Agent;
}

export interface LoadRun {
  target: LoadTarget;
  /** The request body, or a function giving each request its own (the cache scenarios need distinct prompts). */
  body: string | (() => string);
  stream: boolean;
  requests: number;
  concurrency: number;
}

export interface LoadResult {
  /** Request start until the last body byte, per request, in milliseconds. */
  latenciesMs: number[];
  /** Request start until the first body chunk holding `data:`, per streamed request, in milliseconds. */
  firstChunkMs: number[];
  /** Wall time of the whole run, for throughput. */
  elapsedMs: number;
}

interface TimedResponse {
  totalNs: bigint;
  firstChunkNs: bigint | undefined;
}

/** A keep-alive connection pool for one target (node:http; no extra client library needed). */
export function createKeepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** Send `requests` POSTs, `concurrency` at a time, and time each one; any non-200 answer rejects. */
export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const firstChunkMs: number[] = [];
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < run.requests) {
      started += 1;
      const timed = await timeOneRequest(run);
      latenciesMs.push(nanosecondsToMilliseconds(timed.totalNs));
      if (timed.firstChunkNs !== undefined) firstChunkMs.push(nanosecondsToMilliseconds(timed.firstChunkNs));
    }
  };
  const begin = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(run.concurrency, run.requests) }, worker));
  return { latenciesMs, firstChunkMs, elapsedMs: nanosecondsToMilliseconds(process.hrtime.bigint() - begin) };
}

function nanosecondsToMilliseconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1e6;
}

function timeOneRequest(run: LoadRun): Promise<TimedResponse> {
  const { target, stream } = run;
  const body = typeof run.body === 'function' ? run.body() : run.body;
  return new Promise<TimedResponse>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const outgoing = request(
      {
        host: target.url.hostname,
        port: target.url.port,
        path: target.url.pathname,
        method: 'POST',
        agent: target.agent,
        headers: { ...target.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let firstChunkNs: bigint | undefined;
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => {
          // A `data:` split across two socket reads is counted at the second one: a few
          // microseconds late at worst, and the same for every target.
          if (stream && firstChunkNs === undefined && part.includes('data:')) firstChunkNs = process.hrtime.bigint() - start;
          parts.push(part);
        });
        response.on('end', () => {
          const totalNs = process.hrtime.bigint() - start;
          const text = Buffer.concat(parts).toString('utf8');
          const problem = responseProblem(response.statusCode, text, stream);
          if (problem !== undefined) reject(new Error(`${target.name}: ${problem}`));
          else resolve({ totalNs, firstChunkNs: stream ? (firstChunkNs ?? totalNs) : undefined });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => reject(new Error(`${target.name}: ${error.message}`)));
    outgoing.end(body);
  });
}

/** Why a response does not count, or undefined when it is a whole, successful answer. */
export function responseProblem(status: number | undefined, text: string, stream: boolean): string | undefined {
  if (status !== 200) return `status ${status}: ${text.slice(0, 500)}`;
  if (stream) return text.includes('data: [DONE]') ? undefined : `stream ended without [DONE]: ${text.slice(-300)}`;
  return text.includes('"choices"') ? undefined : `not a chat completion: ${text.slice(0, 300)}`;
}
