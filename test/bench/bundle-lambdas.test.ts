import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD_OPTIONS, type LambdaBundleSize, bundleLambdas, listLambdaNames } from '../../scripts/bundle-lambdas.ts';
import type { BundledGatewayAnswer } from '../support/serve-bundled-gateway.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Issue 2's target: what a gateway cold start loads, minified, with the AWS SDK left external. */
const GATEWAY_TARGET_BYTES = 150 * 1024;

// Inside the repo (dist/ is ignored by git) so the bundle's external packages resolve from
// node_modules when the bundle is run, as they resolve from the runtime's SDK on Lambda.
// A fresh clone has no dist/ yet.
await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
const outdir = await mkdtemp(join(REPO_ROOT, 'dist', 'bundle-test-'));
let gateway: LambdaBundleSize;

beforeAll(async () => {
  const [built] = await bundleLambdas({ names: ['gateway'], outdir });
  if (built === undefined) throw new Error('no gateway bundle');
  gateway = built;
}, 60_000);

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe('bundleLambdas', () => {
  it('builds split ESM for the Lambda runtime with the AWS SDK left to the runtime and local-only dynalite left out', () => {
    expect(LAMBDA_ESBUILD_OPTIONS).toMatchObject({
      format: 'esm',
      platform: 'node',
      target: 'node22',
      minify: true,
      splitting: true,
      external: ['@aws-sdk/*', 'dynalite'],
    });
  });

  it('finds the gateway Lambda', () => {
    expect(listLambdaNames()).toContain('gateway');
  });

  it('writes index.mjs and its chunks and reports the size of each', async () => {
    const folder = join(outdir, 'gateway');
    const written = [
      'index.mjs',
      ...(await readdir(join(folder, 'chunks'))).map((name) => `chunks/${name}`),
    ].sort();
    expect(gateway.files.map((file) => file.path).sort()).toEqual(written);
    expect(gateway.files[0]?.path).toBe('index.mjs');
    expect(gateway.files.every((file) => file.path === 'index.mjs' || /^chunks\/[\w-]+-[A-Z0-9]{8}\.mjs$/.test(file.path))).toBe(true);

    const entry = await readFile(join(folder, 'index.mjs'));
    expect(gateway.entryBytes).toBe(entry.byteLength);
    const startupFiles = gateway.files.filter((file) => file.loadedAtStartup);
    expect(gateway.bytes).toBe(startupFiles.reduce((sum, file) => sum + file.bytes, 0));
    expect(gateway.totalBytes).toBe(gateway.files.reduce((sum, file) => sum + file.bytes, 0));
    expect(gateway.contributors.reduce((sum, contributor) => sum + contributor.bytes, 0)).toBeLessThanOrEqual(gateway.bytes);
    expect(gateway.contributors.map((contributor) => contributor.source)).toContain('shared/src/engine');
    // A CommonJS dependency calling require() must find one inside the ES module.
    expect(entry.toString('utf8').startsWith("import{createRequire as __turnpikeCreateRequire}from'node:module'")).toBe(true);
  }, 60_000);

  it('leaves dynalite and the AWS SDK out of every file', () => {
    const sources = gateway.files.flatMap((file) => file.contributors.map((contributor) => contributor.source));
    expect(sources).not.toContain('dynalite');
    expect(sources.filter((source) => source.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('keeps what a cold start loads within the 150 KB target', () => {
    const startup = gateway.files.filter((file) => file.loadedAtStartup).map((file) => `${file.path} ${file.bytes}`);
    expect(gateway.bytes, `index.mjs and the chunks it imports statically: ${startup.join(', ')}`).toBeLessThanOrEqual(GATEWAY_TARGET_BYTES);
  });

  it('loads the native providers, /v1/messages and config validation only on first use', () => {
    const firstUse = gateway.files.filter((file) => !file.loadedAtStartup);
    const startupSources = gateway.files.filter((file) => file.loadedAtStartup).flatMap((file) => file.contributors.map((contributor) => contributor.source));
    for (const lazy of ['anthropic-provider', 'bedrock-provider', 'google-provider', 'cohere-provider', 'mock-provider', 'messages-endpoint-call', 'validate-gateway-config', 'local']) {
      expect(firstUse.map((file) => file.path)).toContainEqual(expect.stringMatching(new RegExp(`^chunks/${lazy}-`)));
    }
    expect(startupSources).not.toContain('zod');
    // Powertools is imported with the first request log, after the first response.
    expect(startupSources.filter((source) => source.startsWith('@aws-lambda-powertools/'))).toEqual([]);
    expect(startupSources.filter((source) => source.startsWith('@smithy/'))).toEqual([]);
  });

  it('serves requests from the bundle, loading chunks as they are first needed', async () => {
    // A child process, so Node's own ESM loader reads the bundle and its chunks (tsx only
    // compiles the emulator the test drives it with).
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test', 'support', 'serve-bundled-gateway.ts'), join(outdir, 'gateway')],
      { cwd: REPO_ROOT, timeout: 30_000 },
    );
    const answers = JSON.parse(stdout) as BundledGatewayAnswer[];
    const byName = new Map(answers.map((answer) => [answer.name, answer]));
    expect(answers.map((answer) => [answer.name, answer.status])).toEqual([
      ['mock provider', 200],
      ['inline config', 200],
      ['invalid config', 400],
      ['messages endpoint', 200],
    ]);
    expect(JSON.parse(byName.get('mock provider')?.body ?? '{}')).toMatchObject({ object: 'chat.completion' });
    // zod's English messages made it into the bundle.
    expect(JSON.parse(byName.get('invalid config')?.body ?? '{}')).toMatchObject({
      error: { message: 'Invalid config: retry.attempts: expected number, received string', param: 'config.retry.attempts' },
    });
    expect(JSON.parse(byName.get('messages endpoint')?.body ?? '{}')).toMatchObject({ type: 'message', role: 'assistant' });
  }, 60_000);
});
