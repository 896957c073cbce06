import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireRequest } from './sigv4-reference.ts';

export interface CannedAnswer {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON. */
  text?: string;
}

export interface RecordingServer {
  url: string;
  requests: WireRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that records each request as it arrived on the wire and answers with
 * whatever `answer` says: enough to check what the CLI sends and how it reads answers.
 */
export async function startRecordingServer(answer: (request: WireRequest) => CannedAnswer): Promise<RecordingServer> {
  const requests: WireRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    void readBody(incoming).then((body) => {
      const request: WireRequest = {
        method: incoming.method ?? '',
        target: incoming.url ?? '',
        headers: Object.fromEntries(
          Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
        ),
        body,
      };
      requests.push(request);
      const reply = answer(request);
      if (reply.status === 204) {
        outgoing.writeHead(204).end();
        return;
      }
      const text = reply.text ?? JSON.stringify(reply.body ?? {});
      outgoing.writeHead(reply.status, { 'content-type': reply.text === undefined ? 'application/json' : 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
