import { Agent, type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The floor a Node.js gateway cannot go below on this machine: a proxy with nothing but
 * `node:http` on both sides (keep-alive pool to the upstream, bodies piped through, no
 * parsing, no routing, no checks). It takes the upstream from `x-portkey-custom-host`, as the
 * gateways do, so the same load target calls it. What it adds over the direct call is the
 * cost of one more HTTP hop: two more socket writes and reads and Node's HTTP parsing.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function forward(incoming: IncomingMessage, outgoing: ServerResponse): void {
  const base = new URL(String(incoming.headers['x-portkey-custom-host']));
  const path = `${base.pathname.replace(/\/$/, '')}${(incoming.url ?? '/').replace(/^\/v1/, '')}`;
  const upstream = request(
    {
      host: base.hostname,
      port: base.port,
      path,
      method: incoming.method,
      agent,
      headers: { 'content-type': incoming.headers['content-type'] ?? 'application/json', authorization: incoming.headers.authorization ?? '' },
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', () => outgoing.destroy());
  incoming.pipe(upstream);
}

const server = createServer(forward);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare proxy listening on http://127.0.0.1:${port}`);
});
// Stop with the benchmark: its pipe to this process closes however it ends.
process.stdin.on('close', () => process.exit(0)).resume();
