import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionUrlStreamingHandler } from '../../shared/src/http/function-url-streaming-handler.ts';
import { installAwslambdaShim } from '../../local/awslambda-shim.ts';
import { startFunctionUrlEmulator } from '../../local/function-url-emulator.ts';

/** One request the bundled gateway answered: what the test compares. */
export interface BundledGatewayAnswer {
  name: string;
  status: number;
  body: string;
}

/**
 * Run in a child process by test/bench/bundle-lambdas.test.ts (`node --import tsx`), so Node's
 * own ESM loader reads the bundle and its chunks, as on Lambda. Loads `<bundle>/index.mjs` in
 * local mode (its database in memory), serves it behind the function URL emulator, sends
 * requests that need chunks loaded on first use, and prints the answers as JSON.
 */
async function main(bundleFolder: string): Promise<void> {
  installAwslambdaShim();
  // The handler builds its runtime from process.env when its module loads.
  Object.assign(process.env, { TURNPIKE_RUNTIME: 'local', TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_CONFIG_FILE: '', TURNPIKE_LOG_REQUESTS: 'false' });
  const bundle = (await import(pathToFileURL(join(bundleFolder, 'index.mjs')).href)) as {
    handler: FunctionUrlStreamingHandler;
    runtime: { close(): Promise<void> };
  };
  const emulator = await startFunctionUrlEmulator({ handler: bundle.handler, port: 0 });
  const chat = { model: 'mock-model', messages: [{ role: 'user', content: 'Hello' }] };
  const requests: { name: string; path: string; headers: Record<string, string>; body: unknown }[] = [
    { name: 'mock provider', path: '/v1/chat/completions', headers: { 'x-portkey-provider': 'mock' }, body: chat },
    { name: 'inline config', path: '/v1/chat/completions', headers: { 'x-portkey-config': JSON.stringify({ provider: 'mock', retry: { attempts: 1 } }) }, body: chat },
    { name: 'invalid config', path: '/v1/chat/completions', headers: { 'x-portkey-config': JSON.stringify({ provider: 'mock', retry: { attempts: '3' } }) }, body: chat },
    { name: 'messages endpoint', path: '/v1/messages', headers: { 'x-portkey-provider': 'mock' }, body: { ...chat, max_tokens: 20 } },
  ];
  const answers: BundledGatewayAnswer[] = [];
  try {
    for (const request of requests) {
      const response = await fetch(`${emulator.url}${request.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: JSON.stringify(request.body),
      });
      answers.push({ name: request.name, status: response.status, body: await response.text() });
    }
  } finally {
    await emulator.close();
    await bundle.runtime.close();
  }
  process.stdout.write(JSON.stringify(answers));
}

const bundleFolder = process.argv[2];
if (bundleFolder === undefined) throw new Error('usage: serve-bundled-gateway.ts <bundle folder>');
await main(bundleFolder);
